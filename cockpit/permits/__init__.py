"""Permits: approval, the active-permit board, escalation and the intake of applications.

One module per seam (``cockpit.permit_service`` re-exports the public names for older callers):

- ``records``: settings, errors and the records the screens show (no database, no rules);
- ``hashing``: the content hash an electronic signature is bound to;
- ``facts``: what the GB 30871 rules judge, read from the database (shared by the parts below);
- ``transitions``: :func:`apply_transition`, the one way a permit moves (status, event row, audit);
- ``escalation``: the approval deadline and the chain a late permit climbs;
- ``queue``: the approval queue; ``detail``: one permit with every check run;
- ``active``: the board of approved, active and suspended permits with their timers;
- ``signing``: approve, reject, send back, suspend, close, the green-channel review;
- ``intake``: applications from the field (contract §5);
- ``service``: :class:`PermitService`, the facade composing them.

No Qt: state changes leave through the plain ``on_permit_changed`` callback (wired to the MQTT
publisher of contract §6) and escalations are returned as data (the alarm service raises the
priority-3 alarm).
"""
