"""The rankings API: published rankings, aggregates, the leaders' lists, comparisons."""
