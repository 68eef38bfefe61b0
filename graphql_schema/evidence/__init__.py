"""The evidence area of the API: the files that back an assessment's entries and a ledger's
steps, stored outside the database by checksum."""
