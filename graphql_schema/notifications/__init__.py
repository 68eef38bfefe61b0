"""The notifications area of the API: messages to units (a deadline coming, something overdue)
and marking them read."""
