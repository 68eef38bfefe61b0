"""The jobs API assembled: its queries, mutations and node types."""

from __future__ import annotations

from .mutations import JobMutations
from .queries import JobQueries
from .types import TYPES

__all__ = ["TYPES", "JobMutations", "JobQueries"]
