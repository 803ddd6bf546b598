"""Every sentence a rule can say, as a code with ``{name}`` placeholders: one table, two languages.

The rules return a code and its parameters (``models.rules.findings.Finding``); the English
``message`` for logs and the contract's replies is rendered from ``FINDING_TEXTS`` here, and the
screens and reports render the same entry through Qt's catalogue (``views/finding_words.py``), so
the English and the Chinese can never say different things. The Chinese lives in
``resources/translations/zh_CN_glossary.py`` under the same English source.

A parameter is shown as it is (ids, numbers, dates, gas channels), except:

- ``permit``, ``base``, ``stage``, ``need``, ``state``, ``target``, ``states`` hold a term key, translated
  through ``TERM_TEXTS`` (``permit`` → ``permit.hot_work.1``, ``state`` → ``status.active``);
- ``age``, ``limit``, ``span``, ``pause``, ``period``, ``over``, ``window`` hold whole seconds,
  shown as a duration (``8 h``, ``7 days``);
- ``time`` holds an aware ISO time, shown in the plant's zone on screen;
- ``trade`` holds the trade's Chinese name, shown with its English name in English.

Pure Python: the marker below is found by name by lupdate (``resources/translations/update.py``
reads this folder), and returns the text unchanged, as Qt's own does.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


TERM_PARAMS: dict[str, str] = {
    "permit": "permit",
    "base": "permit",
    "stage": "stage",
    "need": "need",
    "state": "status",
    "target": "status",
    "states": "status",  # several, comma-separated
    "step": "step",  # a key step a photo shows (models/rules/photo_evidence.py)
    "fetch": "fetch",  # why a photo could not be checked
}
SPAN_PARAMS = frozenset({"age", "limit", "span", "pause", "period", "over", "window"})
MOMENT_PARAMS = frozenset({"time"})  # an aware ISO time: UTC in the English message, plant time on screen

# The context is written out in every entry: lupdate reads only a literal one.
FINDING_TEXTS: dict[str, str] = {
    # application (models/rules/application.py)
    "grade.ignored": QT_TRANSLATE_NOOP("Finding", "{permit} has no grade; grade {grade} is ignored"),
    "grade.missing": QT_TRANSLATE_NOOP(
        "Finding", "hot work needs a grade (special, 1 or 2): it sets validity and approver"
    ),
    "grade.raised": QT_TRANSLATE_NOOP("Finding", "{base} raised to {permit}: {causes}"),
    "grade.raised_highest": QT_TRANSLATE_NOOP("Finding", "{permit} (already the highest grade): {causes}"),
    "grade.wind_unknown": QT_TRANSLATE_NOOP(
        "Finding", "no wind reading: {permit} could not be checked against Beaufort 5 (8.0 m/s)"
    ),
    "workers.none": QT_TRANSLATE_NOOP("Finding", "a permit needs at least one worker"),
    "workers.unknown": QT_TRANSLATE_NOOP(
        "Finding", "unknown worker(s) {workers}: register them before applying"
    ),
    "workers.not_registered": QT_TRANSLATE_NOOP("Finding", "worker {worker} is not registered"),
    "workers.duplicate": QT_TRANSLATE_NOOP("Finding", "worker(s) listed twice: {workers}"),
    "supervisor.none": QT_TRANSLATE_NOOP("Finding", "a permit needs a supervisor"),
    "supervisor.unknown": QT_TRANSLATE_NOOP(
        "Finding", "unknown supervisor {supervisor}: register them before applying"
    ),
    "supervisor.is_worker": QT_TRANSLATE_NOOP(
        "Finding", "{supervisor} cannot be both supervisor and worker: the supervisor only watches"
    ),
    "validity.in_past": QT_TRANSLATE_NOOP(
        "Finding", "the permit ends ({valid_to}) before it could be issued"
    ),
    # validity (models/rules/validity.py)
    "validity.end_not_after_start": QT_TRANSLATE_NOOP(
        "Finding", "the permit must end after it starts ({valid_to} is not after {valid_from})"
    ),
    "validity.too_long": QT_TRANSLATE_NOOP(
        "Finding", "{permit} is valid for at most {limit}; this permit asks for {span}"
    ),
    "validity.longer_than_job": QT_TRANSLATE_NOOP(
        "Finding",
        "temporary power may not outlast the job it serves: the permit ends {over} after the job ({job_end})",
    ),
    # workers and contractors (models/rules/workers.py)
    "worker.no_certificate": QT_TRANSLATE_NOOP("Finding", "worker {worker} holds no {trade} certificate"),
    "worker.certificate_expired": QT_TRANSLATE_NOOP(
        "Finding", "worker {worker}'s {trade} certificate {number} expired on {date}"
    ),
    "worker.review_overdue": QT_TRANSLATE_NOOP(
        "Finding", "worker {worker}'s {trade} certificate {number} missed its review due on {date}"
    ),
    "worker.certificate_expires_during_permit": QT_TRANSLATE_NOOP(
        "Finding",
        "worker {worker}'s {trade} certificate {number} expires on {date}, before the permit ends on {until}",
    ),
    "worker.certificate_expires_30d": QT_TRANSLATE_NOOP(
        "Finding", "worker {worker}'s {trade} certificate {number} expires in {days} days ({date})"
    ),
    "worker.certificate_expires_60d": QT_TRANSLATE_NOOP(
        "Finding", "worker {worker}'s {trade} certificate {number} expires in {days} days ({date})"
    ),
    "worker.review_due": QT_TRANSLATE_NOOP(
        "Finding",
        "worker {worker}'s {trade} certificate {number} is due for review on {date}: "
        "apply now (within {days} days before)",
    ),
    "contractor.blacklisted": QT_TRANSLATE_NOOP(
        "Finding", "contractor {contractor} is blacklisted and may not work on site"
    ),
    "contractor.no_qualification_record": QT_TRANSLATE_NOOP(
        "Finding", "contractor {contractor} has no qualification on record: check it before approval"
    ),
    "contractor.qualification_expired": QT_TRANSLATE_NOOP(
        "Finding", "contractor {contractor}'s qualifications expired on {date}"
    ),
    "contractor.qualification_expiring": QT_TRANSLATE_NOOP(
        "Finding", "contractor {contractor}'s qualifications expire in {days} days ({date})"
    ),
    "contractor.unknown": QT_TRANSLATE_NOOP("Finding", "contractor {contractor} is not registered"),
    "area.unknown": QT_TRANSLATE_NOOP("Finding", "area {site}/{area} is not on the plant register"),
    "permit.exists": QT_TRANSLATE_NOOP(
        "Finding", "permit {permit_id} already exists ({state}): apply under a new id"
    ),
    # prerequisites (models/rules/prerequisites.py)
    "prerequisite.jsa": QT_TRANSLATE_NOOP(
        "Finding",
        "{permit} needs {need} before {stage}: every special-work permit rests on a job safety analysis",
    ),
    "prerequisite.isolation": QT_TRANSLATE_NOOP(
        "Finding",
        "{permit} needs {need} before {stage}: the equipment must be isolated from energy and process media",
    ),
    "prerequisite.gas_test": QT_TRANSLATE_NOOP(
        "Finding", "{permit} needs {need} before {stage}: the atmosphere must be analysed before approval"
    ),
    # key-step photos (models/rules/photo_evidence.py)
    "photo.needed": QT_TRANSLATE_NOOP(
        "Finding", '{permit} needs a photo of the key step "{step}" before work starts'
    ),
    "photo.missing": QT_TRANSLATE_NOOP(
        "Finding", 'no photo of the key step "{step}": {permit} may not go on without it'
    ),
    "photo.tampered": QT_TRANSLATE_NOOP(
        "Finding",
        'the photo of the key step "{step}" was altered after it was taken: it is not evidence',
    ),
    "photo.unchecked": QT_TRANSLATE_NOOP(
        "Finding", 'the photo of the key step "{step}" could not be checked ({fetch}): it is not evidence'
    ),
    # gas tests (models/rules/gas_tests.py, cockpit/permits/detail.py)
    "gas_test.missing": QT_TRANSLATE_NOOP(
        "Finding",
        "{permit} needs a gas test sampled no more than {window} before work starts; none is recorded",
    ),
    "gas_test.stale": QT_TRANSLATE_NOOP(
        "Finding",
        "the last gas test is {age} old; {permit} may start only within {window} of sampling: test again",
    ),
    "gas_test.retest_after_pause": QT_TRANSLATE_NOOP(
        "Finding",
        "{permit} has been paused for {pause} (more than {limit}): take a new gas test no more than {window} "
        "before resuming",
    ),
    "gas_test.started_without_test": QT_TRANSLATE_NOOP(
        "Finding", "{permit} started without a gas test sampled within {window} before the start"
    ),
    "gas_test.started_after_old_test": QT_TRANSLATE_NOOP(
        "Finding",
        "{permit} started without a gas test sampled within {window} before the start "
        "(the last one was {age} earlier)",
    ),
    "gas_test.resumed_without_retest": QT_TRANSLATE_NOOP(
        "Finding",
        "{permit} resumed after a pause of {pause} (more than {limit}) without a gas test taken "
        "within {window} before resuming",
    ),
    "gas_test.periodic_overdue": QT_TRANSLATE_NOOP(
        "Finding", "the site re-tests every {period}; the last gas test was {age} ago"
    ),
    "gas_test.record_overdue": QT_TRANSLATE_NOOP(
        "Finding", "confined space records a gas reading at least every {period}; the last was {age} ago"
    ),
    "gas_test.no_continuous_monitoring": QT_TRANSLATE_NOOP(
        "Finding", "{permit} needs continuous gas monitoring, and no detector is reporting"
    ),
    "gas_test.bad_quality": QT_TRANSLATE_NOOP(
        "Finding", "the {channel} reading is of bad quality and cannot pass a gas test"
    ),
    "gas_test.uncertain_quality": QT_TRANSLATE_NOOP(
        "Finding", "the {channel} reading {value} {unit} is of uncertain quality"
    ),
    "gas_test.combustible_high": QT_TRANSLATE_NOOP(
        "Finding", "{channel} {value} %VOL is above the limit of {limit_vol} %VOL for {permit}"
    ),
    "gas_test.combustible_high_lel": QT_TRANSLATE_NOOP(
        "Finding",
        "{channel} {value} %LEL ({vol} %VOL at an LEL of {lel} %VOL) is above the limit of {limit_vol} %VOL "
        "for {permit}",
    ),
    "gas_test.oxygen_low": QT_TRANSLATE_NOOP("Finding", "oxygen {value} %VOL is below {bound} %VOL"),
    "gas_test.oxygen_high": QT_TRANSLATE_NOOP("Finding", "oxygen {value} %VOL is above {bound} %VOL"),
    "gas_test.toxic_high": QT_TRANSLATE_NOOP(
        "Finding", "{channel} {value} ppm is not below its limit of {bound} ppm"
    ),
    "gas_test.no_combustible": QT_TRANSLATE_NOOP(
        "Finding", "no combustible gas reading (LEL or CH4) of good quality: {permit} cannot pass"
    ),
    "gas_test.no_oxygen": QT_TRANSLATE_NOOP(
        "Finding", "no oxygen reading of good quality: confined space cannot pass"
    ),
    "gas_test.bad_unit": QT_TRANSLATE_NOOP(
        "Finding", "the {channel} reading is in '{unit}', which a gas test cannot judge (expected {expected})"
    ),
    "gas_test.failed": QT_TRANSLATE_NOOP(
        "Finding", "the latest gas test ({time}, by {by}) failed: ventilate or isolate, then test again"
    ),
    # simultaneous work (models/rules/conflicts.py)
    "conflict.hot_work_near_blinding": QT_TRANSLATE_NOOP(
        "Finding",
        "hot work and blinding may not run within {min_m} m of each other: {permit} permit {other} "
        "is {distance} m away at the same time",
    ),
    "conflict.hot_work_blinding_distance_unknown": QT_TRANSLATE_NOOP(
        "Finding",
        "{permit} permit {other} runs at the same time in area {area} and its distance is unknown: make sure "
        "hot work and blinding are more than {min_m} m apart",
    ),
    "conflict.pipeline_blinding": QT_TRANSLATE_NOOP(
        "Finding",
        "one blinding job at a time on a pipeline: permit {other} already blinds {pipeline} "
        "in the same period",
    ),
    "conflict.no_coordinator": QT_TRANSLATE_NOOP(
        "Finding",
        "{count} other permit(s) overlap in area {area} ({others}): "
        "name a coordinator for the simultaneous jobs",
    ),
    "conflict.coordinator_differs": QT_TRANSLATE_NOOP(
        "Finding",
        "permit(s) {others} overlapping in area {area} name no coordinator or another one than {coordinator}",
    ),
    # the permit's state machine (models/rules/permit_state.py): the code names the two states,
    # the sentence says why (``Finding.text`` holds one of these keys)
    "state.final": QT_TRANSLATE_NOOP(
        "Finding", "a permit cannot go from {state} to {target}: {state} is final"
    ),
    "state.already": QT_TRANSLATE_NOOP(
        "Finding", "a permit cannot go from {state} to {target}: it is already {state}"
    ),
    "state.cancel_running": QT_TRANSLATE_NOOP(
        "Finding",
        "a permit cannot go from {state} to {target}: stop the work first (suspend it), then cancel",
    ),
    "state.close_unstarted": QT_TRANSLATE_NOOP(
        "Finding",
        "a permit cannot go from {state} to {target}: work that never started is cancelled, not closed",
    ),
    "state.send_back_submitted": QT_TRANSLATE_NOOP(
        "Finding", "a permit cannot go from {state} to {target}: only a submitted permit can be sent back"
    ),
    "state.reject_submitted": QT_TRANSLATE_NOOP(
        "Finding", "a permit cannot go from {state} to {target}: only a submitted permit can be rejected"
    ),
    "state.approve_submitted": QT_TRANSLATE_NOOP(
        "Finding", "a permit cannot go from {state} to {target}: only a submitted permit can be approved"
    ),
    "state.start_approved": QT_TRANSLATE_NOOP(
        "Finding",
        "a permit cannot go from {state} to {target}: work can start only on an approved permit or resume "
        "on a suspended one",
    ),
    "state.suspend_active": QT_TRANSLATE_NOOP(
        "Finding", "a permit cannot go from {state} to {target}: only active work can be suspended"
    ),
    "state.expire_unapproved": QT_TRANSLATE_NOOP(
        "Finding",
        "a permit cannot go from {state} to {target}: a permit that was never approved cannot expire",
    ),
    "state.allowed": QT_TRANSLATE_NOOP(
        "Finding", "a permit cannot go from {state} to {target}: from {state} it can go to {states}"
    ),
}

# Words inside the sentences: ``TERM_PARAMS`` names which parameters hold one of these keys.
TERM_TEXTS: dict[str, str] = {
    "permit.hot_work": QT_TRANSLATE_NOOP("FindingTerm", "hot work"),
    "permit.hot_work.special": QT_TRANSLATE_NOOP("FindingTerm", "hot work special grade"),
    "permit.hot_work.1": QT_TRANSLATE_NOOP("FindingTerm", "hot work grade 1"),
    "permit.hot_work.2": QT_TRANSLATE_NOOP("FindingTerm", "hot work grade 2"),
    "permit.confined_space": QT_TRANSLATE_NOOP("FindingTerm", "confined space"),
    "permit.blinding": QT_TRANSLATE_NOOP("FindingTerm", "blinding"),
    "permit.work_at_height": QT_TRANSLATE_NOOP("FindingTerm", "work at height"),
    "permit.lifting": QT_TRANSLATE_NOOP("FindingTerm", "lifting"),
    "permit.temporary_power": QT_TRANSLATE_NOOP("FindingTerm", "temporary power"),
    "permit.excavation": QT_TRANSLATE_NOOP("FindingTerm", "excavation"),
    "permit.road_closure": QT_TRANSLATE_NOOP("FindingTerm", "road closure"),
    "step.site_cleared": QT_TRANSLATE_NOOP("FindingTerm", "site cleared before ignition"),
    "step.harness_clipped": QT_TRANSLATE_NOOP("FindingTerm", "harness clipped before climbing"),
    "step.isolation_locked": QT_TRANSLATE_NOOP("FindingTerm", "isolation locked and tagged"),
    "step.blind_fitted": QT_TRANSLATE_NOOP("FindingTerm", "blind plate fitted"),
    "step.ventilation_on": QT_TRANSLATE_NOOP("FindingTerm", "ventilation running before entry"),
    "step.barrier_set": QT_TRANSLATE_NOOP("FindingTerm", "barrier and signs set"),
    "step.defect": QT_TRANSLATE_NOOP("FindingTerm", "the defect found"),  # an inspection result's photo
    "fetch.too_large": QT_TRANSLATE_NOOP("FindingTerm", "larger than the size cap"),
    "fetch.not_found": QT_TRANSLATE_NOOP("FindingTerm", "not in the file store"),
    "fetch.unreachable": QT_TRANSLATE_NOOP("FindingTerm", "the file store could not be reached"),
    "stage.submit": QT_TRANSLATE_NOOP("FindingTerm", "submission"),
    "stage.approve": QT_TRANSLATE_NOOP("FindingTerm", "approval"),
    "stage.start": QT_TRANSLATE_NOOP("FindingTerm", "work starts"),
    "need.jsa": QT_TRANSLATE_NOOP("FindingTerm", "a job safety analysis (JSA)"),
    "need.isolation": QT_TRANSLATE_NOOP("FindingTerm", "energy isolation (LOTO)"),
    "need.gas_test": QT_TRANSLATE_NOOP("FindingTerm", "a passing gas test"),
    "reason.jsa": QT_TRANSLATE_NOOP(
        "FindingTerm", "every special-work permit rests on a job safety analysis"
    ),
    "reason.isolation": QT_TRANSLATE_NOOP(
        "FindingTerm", "the equipment must be isolated from energy and process media (LOTO)"
    ),
    "reason.gas_test": QT_TRANSLATE_NOOP("FindingTerm", "the atmosphere must be analysed before approval"),
    "status.submitted": QT_TRANSLATE_NOOP("FindingTerm", "submitted"),
    "status.approved": QT_TRANSLATE_NOOP("FindingTerm", "approved"),
    "status.active": QT_TRANSLATE_NOOP("FindingTerm", "active"),
    "status.suspended": QT_TRANSLATE_NOOP("FindingTerm", "suspended"),
    "status.rejected": QT_TRANSLATE_NOOP("FindingTerm", "rejected"),
    "status.cancelled": QT_TRANSLATE_NOOP("FindingTerm", "cancelled"),
    "status.expired": QT_TRANSLATE_NOOP("FindingTerm", "expired"),
    "status.closed": QT_TRANSLATE_NOOP("FindingTerm", "closed"),
}

# Durations, in the words people use on a permit (``models.rules.findings.format_duration``).
SPAN_TEXTS: dict[str, str] = {
    "days": QT_TRANSLATE_NOOP("FindingSpan", "{n} days"),
    "h": QT_TRANSLATE_NOOP("FindingSpan", "{n} h"),
    "min": QT_TRANSLATE_NOOP("FindingSpan", "{n} min"),
    "s": QT_TRANSLATE_NOOP("FindingSpan", "{n} s"),
}
