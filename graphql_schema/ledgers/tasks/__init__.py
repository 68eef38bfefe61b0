"""The task lists: action plans, their topics, projects and task elements, completion with
evidence, reopening, statistics, and plans imported from Excel."""
