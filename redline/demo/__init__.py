"""The demo: places, people, ledgers, templates, assessments and notifications of the source
reports, loaded into a fresh database, and `redline demo`, which serves them with an embedded
Redis and in-process workers."""
