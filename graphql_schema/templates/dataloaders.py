"""The DataLoaders of the templates area: a template's items and its veto rules."""

from __future__ import annotations

from scoring.templates.models import TemplateItem, VetoRule

from ..core.dataloaders import by_key

# Primed by id too: spot checks and veto flags name their item and rule by id.
ITEMS = by_key(
    TemplateItem.template_id,
    TemplateItem.template_id,
    TemplateItem.position,
    TemplateItem.id,
    prime=True,
)
VETO_RULES = by_key(
    VetoRule.template_id, VetoRule.template_id, VetoRule.position, VetoRule.id, prime=True
)
