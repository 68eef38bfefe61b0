"""The accident ledger: accidents (list, filters), recording and correcting them, and their
statistics against the same period of the previous year."""
