"""Moved to tests/factories/: this module only re-exports what one file still imports."""

# Still imported by tests/graphql/test_bad_input.py (owned elsewhere); then delete this module.
from tests.factories.api import gid, open_cycle
from tests.factories.assessments import assessment_of
from tests.factories.templates import published_sample
from tests.factories.tenants import node

__all__ = ["assessment_of", "gid", "node", "open_cycle", "published_sample"]
