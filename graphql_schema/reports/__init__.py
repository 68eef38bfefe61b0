"""The reports area of the API: printing reports in the background, fetching the kept files,
and a province's letterhead."""
