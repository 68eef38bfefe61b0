"""Scoring, in layers (each imports only those below it, checked by lint-imports):

- ``jobs``: the actors and schedules that re-score, publish rankings and run the sweeps;
- ``followup``: notifications, deadline reminders, the overdue sweep;
- ``spotchecks``: double-random spot-check draws (targets and inspectors from a published
  seed), weighing units by the previous cycle's results;
- ``rankings``: ranking snapshots, region aggregates, commendation and criticism lists;
- ``assessments``: cycles, entries and evidence, review, spot checks, vetoes, the audit
  trail, scorecards;
- ``ledgers``: accidents, hazards, task lists, responsibility statements, and their
  ``figures`` (read only) that feed indicators and fire vetoes;
- ``templates``: indicator templates, their validation, storage and Excel form;
- ``evidence``, ``inputs``: evidence files; checks of what people type;
- ``engine``: the pure scoring engine (no I/O).
"""
