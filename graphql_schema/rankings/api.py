"""The rankings API assembled: its queries and the types the schema lists."""

from __future__ import annotations

from .queries import RankingQueries
from .types import TYPES

__all__ = ["TYPES", "RankingQueries"]
