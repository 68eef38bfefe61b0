"""Templates as rows and back: the document from its rows, the engine's view of it, and the
rows written from a document."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Null, delete, inspect, null, select
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, fail
from scoring import engine
from scoring.engine import ClauseKind, ClauseScope, Method
from scoring.engine.bands import BandRule, Thresholds
from scoring.templates.document import (
    ClauseInput,
    GradeNames,
    ItemInput,
    TemplateContent,
    TierInput,
    VetoRuleInput,
    engine_from_content,
    plain_amount,
    walk_items,
)
from scoring.templates.models import (
    AccidentClass,
    AccidentMeasure,
    ItemKind,
    RuleSeverity,
    Template,
    TemplateItem,
    VetoKind,
    VetoRule,
)

# --- conversions ------------------------------------------------------------------------------

W = TypeVar("W", AccidentClass, AccidentMeasure)


def _optional(number: Decimal | None) -> Decimal | None:
    return None if number is None else plain_amount(number)


def _stored_decimal(raw: object) -> Decimal:
    return plain_amount(Decimal(str(raw)))


def stored_clause(stored: dict[str, Any]) -> ClauseInput:
    """A clause as an item's JSON document keeps it (scopes written only beyond the item)."""
    return ClauseInput(
        key=stored["key"],
        kind=ClauseKind(stored["kind"]),
        text=stored.get("text") or "",
        points=_stored_decimal(stored.get("points") or 0),
        threshold=_optional_stored(stored.get("threshold")),
        fact=stored.get("fact") or None,
        scope=ClauseScope(stored.get("scope") or ClauseScope.ITEM),
        fact_scope=ClauseScope(stored.get("fact_scope") or ClauseScope.ITEM),
        cap=_optional_stored(stored.get("cap")),
        repeat_factor=_optional_stored(stored.get("repeat_factor")),
        accident_measure=_optional_word(AccidentMeasure, stored.get("accident_measure")),
        accident_class=_optional_word(AccidentClass, stored.get("accident_class")),
    )


def _optional_stored(raw: object) -> Decimal | None:
    return None if raw is None else _stored_decimal(raw)


def _optional_word(kind: type[W], raw: object) -> W | None:
    return None if raw is None else kind(raw)


def _plain_thresholds(thresholds: Thresholds) -> Thresholds:
    return Thresholds(
        plain_amount(Decimal(thresholds.green)), plain_amount(Decimal(thresholds.yellow))
    )


def stored_bands(document: Mapping[str, Any] | None) -> BandRule | None:
    """The colour bands kept in a ``bands`` column (None when the column sets none)."""
    rule = BandRule.from_document(document)
    if rule.default is None and not rule.levels:
        return None
    default = _plain_thresholds(rule.default) if rule.default is not None else None
    return BandRule(default, {level: _plain_thresholds(t) for level, t in rule.levels.items()})


def bands_document(rule: BandRule | None) -> dict[str, Any] | Null:
    """What a ``bands`` column keeps of a document's bands: SQL NULL when they set nothing
    (not a JSON null: ``bands IS NULL`` finds every template without bands)."""
    if rule is None:
        return null()
    default = _plain_thresholds(rule.default) if rule.default is not None else None
    levels = {
        str(getattr(level, "value", level)): _plain_thresholds(t)
        for level, t in rule.levels.items()
    }
    document = BandRule(default, levels).document()
    return null() if document is None else document


def _content_from_rows(
    template: Template, items: Sequence[TemplateItem], rules: Sequence[VetoRule]
) -> TemplateContent:
    children: dict[int | None, list[TemplateItem]] = {}
    for row in sorted(items, key=lambda row: row.position):
        children.setdefault(row.parent_id, []).append(row)

    def build(row: TemplateItem) -> ItemInput:
        return ItemInput(
            code=row.code,
            title=row.title,
            kind=ItemKind(row.kind),
            max_points=plain_amount(row.max_points),
            criteria=row.criteria or "",
            requirement=row.requirement or "",
            bonus=row.bonus,
            local=row.local,
            method=Method(row.method) if row.method is not None else None,
            target=_optional(row.target),
            floor=_optional(row.floor),
            tiers=tuple(
                TierInput(_stored_decimal(t["min_value"]), _stored_decimal(t["points"]))
                for t in row.tiers or ()
            ),
            clauses=tuple(stored_clause(c) for c in row.clauses or ()),
            required=row.required,
            source=row.source,
            children=tuple(build(child) for child in children.get(row.id, ())),
            bands=stored_bands(row.bands),
        )

    return TemplateContent(
        title=template.title,
        year=template.year,
        total_points=plain_amount(template.total_points),
        bonus_cap=plain_amount(template.bonus_cap),
        grade_excellent=_optional(template.grade_excellent),
        grade_good=_optional(template.grade_good),
        grade_qualified=plain_amount(template.grade_qualified),
        composite_weight=_optional(template.composite_weight),
        language=template.language,
        grade_names=GradeNames(**(template.grade_names or {})),
        bands=stored_bands(template.bands),
        trend_min_points=_optional(template.trend_min_points),
        trend_min_ranks=template.trend_min_ranks,
        consequences=template.consequence_policy(),
        items=tuple(build(row) for row in children.get(None, ())),
        veto_rules=tuple(
            VetoRuleInput(
                code=r.code,
                title=r.title,
                text=r.text or "",
                kind=VetoKind(r.kind),
                severity=RuleSeverity(r.severity),
                threshold=r.threshold,
            )
            for r in sorted(rules, key=lambda rule: rule.position)
        ),
    )


def engine_template(
    template: Template, items: Sequence[TemplateItem], rules: Sequence[VetoRule]
) -> engine.Template:
    """The stored template as the scoring engine's model (pure: no queries).

    A local category nobody filled becomes an empty category: the engine takes its points out
    of the attainable total and normalises the score back to the template total, exactly as for
    not-applicable indicators, so provincial and city-extended scores stay comparable. A partly
    filled one leaves only its unfilled points out.
    """
    return engine_from_content(_content_from_rows(template, items, rules))


def load_template(
    session: Session, template_id: int
) -> tuple[Template, list[TemplateItem], list[VetoRule]]:
    """A template with its items (tree order) and veto rules: one query per table."""
    template = session.scalars(select(Template).where(Template.id == template_id)).one_or_none()
    if template is None:
        raise fail("id", f"no template {template_id}", ErrorCode.NOT_FOUND)
    items = list(
        session.scalars(
            select(TemplateItem)
            .where(TemplateItem.template_id == template_id)
            .order_by(TemplateItem.position)
        )
    )
    rules = list(
        session.scalars(
            select(VetoRule).where(VetoRule.template_id == template_id).order_by(VetoRule.position)
        )
    )
    return template, items, rules


def template_content(session: Session, template: Template) -> TemplateContent:
    """The stored template as a document again (for the editor, the Excel export, a copy)."""
    _, items, rules = load_template(session, template.id)
    return _content_from_rows(template, items, rules)


# --- writing --------------------------------------------------------------------------------


def _amount_json(number: Decimal | None) -> str | None:
    # JSON documents keep amounts as text: a JSON number would pass through binary floats.
    return None if number is None else str(Decimal(number))


def _word_json(kind: type[W], word: object) -> str | None:
    return None if word is None else kind(word).value


def _written_if_set(**fields: str | None) -> dict[str, str]:
    # Only what a clause sets is written: older documents stay as they are.
    return {name: value for name, value in fields.items() if value is not None}


def _item_row(
    template: Template, item: ItemInput, position: int, added_by_node_id: int | None
) -> TemplateItem:
    return TemplateItem(
        customer_id=template.customer_id,
        template_id=template.id,
        position=position,
        kind=ItemKind(item.kind),
        code=item.code.strip(),
        title=item.title.strip(),
        criteria=item.criteria,
        requirement=item.requirement,
        max_points=item.max_points,
        bonus=item.bonus,
        local=item.local,
        method=Method(item.method) if item.method is not None else None,
        target=item.target,
        floor=item.floor,
        tiers=[
            {"min_value": _amount_json(t.min_value), "points": _amount_json(t.points)}
            for t in item.tiers
        ],
        clauses=[
            {
                "key": c.key.strip(),
                "kind": ClauseKind(c.kind).value,
                "text": c.text,
                "points": _amount_json(c.points),
                "threshold": _amount_json(c.threshold),
                "fact": c.fact.strip() if c.fact is not None else None,
                # Only what reaches beyond the item is written: older documents stay as they are.
                **({"scope": ClauseScope(c.scope).value} if c.scope != ClauseScope.ITEM else {}),
                **(
                    {"fact_scope": ClauseScope(c.fact_scope).value}
                    if c.fact_scope != ClauseScope.ITEM
                    else {}
                ),
                **_written_if_set(
                    cap=_amount_json(c.cap),
                    repeat_factor=_amount_json(c.repeat_factor),
                    accident_measure=_word_json(AccidentMeasure, c.accident_measure),
                    accident_class=_word_json(AccidentClass, c.accident_class),
                ),
            }
            for c in item.clauses
        ],
        required=item.required,
        source=item.source,
        bands=bands_document(item.bands),
        added_by_node_id=added_by_node_id,
    )


def write_tree(
    session: Session,
    template: Template,
    content: TemplateContent,
    added_by: Callable[[ItemInput], int | None],
) -> None:
    """Insert the document's items and veto rules under ``template`` (which has none)."""
    # Positions number the tree depth first, so ordering by position reads the tree back.
    by_depth: dict[int, list[tuple[TemplateItem, str | None]]] = {}
    rows: dict[str, TemplateItem] = {}
    for position, (path, item, parent) in enumerate(walk_items(content.items)):
        row = _item_row(template, item, position, added_by(item))
        rows[path] = row
        parent_path = path.rsplit(".children", 1)[0] if parent is not None else None
        by_depth.setdefault(path.count(".children"), []).append((row, parent_path))
    # A level at a time: children need their parent's id.
    for depth in sorted(by_depth):
        for row, parent_path in by_depth[depth]:
            row.parent_id = rows[parent_path].id if parent_path is not None else None
            session.add(row)
        session.flush()
    for index, rule in enumerate(content.veto_rules):
        session.add(
            VetoRule(
                customer_id=template.customer_id,
                template_id=template.id,
                position=index,
                code=rule.code.strip(),
                title=rule.title.strip(),
                text=rule.text,
                kind=VetoKind(rule.kind),
                severity=RuleSeverity(rule.severity),
                params={"threshold": rule.threshold} if rule.threshold is not None else {},
            )
        )
    session.flush()


def clear_tree(session: Session, template: Template) -> None:
    """Delete a draft's items and veto rules (drafts have no assessments referring to them)."""
    # The parent key cascades, and rows deleted by a cascade are reported by no RETURNING:
    # take the draft's rows out of the session by hand, or their ids (which SQLite reuses)
    # would clash with the rows written next.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, TemplateItem | VetoRule):
            loaded = inspect(obj).dict.get("template_id", template.id)
            if loaded == template.id:
                session.expunge(obj)
    for model in (VetoRule, TemplateItem):
        session.execute(
            delete(model).where(model.template_id == template.id),
            execution_options={"synchronize_session": False},
        )
