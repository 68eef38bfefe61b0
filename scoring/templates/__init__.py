"""Indicator templates: writing, validating, publishing, versioning and extending them.

A template is edited as one document (``TemplateContent``): the editor, the Excel import and the
copy of last year's template all hand the whole tree over, and the service replaces the draft's
rows with it. Every save checks the document's structure (``content_problems``); publishing
also needs the numbers to add up (``template_problems``, which reuses the engine's own
``validate_template``), so a draft may be saved half-finished but never published broken.

Local categories (``local=True``) are the points a province leaves to its cities: a city's
local template (``extend_template``) copies the province's published version and may add
indicators under those categories only. A local category nobody filled scores like an
indicator that is not applicable: its points leave the attainable total and the unit's score is
normalised back to the template total, so units with and without local indicators stay
comparable (see ``engine_template``).

Colour bands (``scoring.engine.bands.BandRule``: the template's, and each item's before it) and
the trend thresholds of the leaders' analytics travel in the same document: a city's local
template keeps the province's item bands and may set its own template bands and thresholds.
"""
