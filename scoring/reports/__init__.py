"""PDF reports: a unit's scorecard and a region's ranking, printed by WeasyPrint (zh or en)."""
