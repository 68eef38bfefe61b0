"""The scorecards area of the API: a unit's scored assessment, every point explained, with the
ledger figures and ledger vetoes it was scored on."""
