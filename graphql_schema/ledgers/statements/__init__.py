"""The responsibility-statement ledger: statements, their list and coverage, issuing and signing
them."""
