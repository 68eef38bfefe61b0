"""What the ledgers say, read only: tallies per unit and period, statistics of a subtree, the
figures that feed indicators and the facts that fire vetoes. Nothing here writes, and nothing
here imports the services that write the ledgers (a contract checks it)."""
