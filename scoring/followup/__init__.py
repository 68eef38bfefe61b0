"""Follow-up: notifications to units, deadline reminders, and the sweep that flags overdue
hazards and task elements."""
