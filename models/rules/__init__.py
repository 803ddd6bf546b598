"""The GB 30871-2022 rules as pure functions: no Qt, no database, times UTC-aware.

Each check returns ``findings.Finding`` records (blocking or warning, with the contract §5 field):

- ``permit_state``: the permit life cycle and its refused moves;
- ``validity``: maximum validity by type and hot-work grade;
- ``grading``: base hot-work grade and the raise for night, holidays, rest days and wind;
- ``approval``: who must sign, and who may;
- ``prerequisites``: JSA, isolation and gas test by type and stage;
- ``gas_tests``: when a gas test is due and whether it passes;
- ``workers``: special-trade certificates and contractors;
- ``conflicts``: jobs that must not run side by side;
- ``application``: all of the above on one permit application.
- ``finding_texts``, ``refusal_texts``, ``alarm_texts``: what the rules, the services and the alarm
  engine say, as codes with parameters (here, where lupdate reads them).
"""
