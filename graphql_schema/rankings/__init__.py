"""The rankings area of the API: published rankings, aggregates, the leaders' lists,
comparisons."""
