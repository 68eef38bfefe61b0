"""Each category's and indicator's points of an assessment, kept beside its cached totals and
written with them, so a ranking publishes per-item figures with set-based SQL."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, event, exists, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from scoring import engine
from scoring.assessments.models import Assessment, ItemScore, ScoreState
from scoring.ledgers.figures.indicators import Figure


def _indicator_state(score: engine.IndicatorScore) -> ScoreState:
    if score.not_applicable:
        return ScoreState.NOT_APPLICABLE
    if score.missing and not score.adjusted:
        return ScoreState.MISSING
    return ScoreState.SCORED


def _category_state(states: Sequence[ScoreState]) -> ScoreState:
    """Not applicable when every indicator under it is; missing when every applicable one is."""
    applicable = [s for s in states if s is not ScoreState.NOT_APPLICABLE]
    if not applicable:
        return ScoreState.NOT_APPLICABLE
    if all(s is ScoreState.MISSING for s in applicable):
        return ScoreState.MISSING
    return ScoreState.SCORED


def _categories(template: engine.Template) -> Iterator[engine.Category]:
    def walk(category: engine.Category) -> Iterator[engine.Category]:
        yield category
        for sub in category.categories:
            yield from walk(sub)

    for category in template.categories:
        yield from walk(category)


def _indicator_codes(category: engine.Category) -> Iterator[str]:
    for indicator in category.indicators:
        yield indicator.code
    for sub in category.categories:
        yield from _indicator_codes(sub)


def item_scores(
    template: engine.Template,
    item_ids: Mapping[str, int],
    own: engine.Scorecard,
    reviewed: engine.Scorecard,
    figures: Mapping[str, Figure],
) -> list[dict[str, Any]]:
    """The rows of one assessment's item scores (without its ids): every indicator and
    category of the template (``item_ids`` by code), reviewed points only where scored, never
    a zero for missing; ``figures`` are the ledger figures scored, by item code."""
    states: dict[str, ScoreState] = {}
    rows: list[dict[str, Any]] = []
    for _, indicator in template.indicators():
        score = reviewed.indicators[indicator.code]
        state = _indicator_state(score)
        states[indicator.code] = state
        mine = own.indicators.get(indicator.code)
        figure = figures.get(indicator.code)
        rows.append(
            {
                "item_id": item_ids[indicator.code],
                "state": state,
                "points": score.points if state is ScoreState.SCORED else None,
                "self_points": (
                    mine.points
                    if mine is not None and _indicator_state(mine) is ScoreState.SCORED
                    else None
                ),
                "max_points": score.max_points,
                "figure": figure.value if figure is not None else None,
            }
        )
    for category in _categories(template):
        score = reviewed.categories[category.code]
        state = _category_state([states[code] for code in _indicator_codes(category)])
        mine = own.categories.get(category.code)
        scored = state is ScoreState.SCORED
        rows.append(
            {
                "item_id": item_ids[category.code],
                "state": state,
                "points": score.points if scored else None,
                "self_points": mine.points if scored and mine is not None else None,
                "max_points": score.attainable if scored else score.max_points,
                "figure": None,
            }
        )
    return rows


_PENDING = "scoring_pending_item_scores"


def store_item_scores(session: Session, assessment: Assessment, rows: list[dict[str, Any]]) -> None:
    """Keep the assessment's item scores (``item_scores``' rows), written at the end of the
    session's next flush: after the assessment's own row, whose versioned update is where two
    writers of one assessment meet, so the second gets its conflict before it touches these."""
    pending: dict[int, tuple[Assessment, list[dict[str, Any]]]] = session.info.setdefault(
        _PENDING, {}
    )
    pending[id(assessment)] = (assessment, rows)


def store_many(session: Session, scored: Sequence[tuple[Assessment, list[dict[str, Any]]]]) -> None:
    """Upsert the kept item scores of many assessments now: one statement."""
    _upsert(session.connection(), session.get_bind().dialect.name, scored)


def _upsert(
    connection: Connection,
    dialect: str,
    scored: Sequence[tuple[Assessment, list[dict[str, Any]]]],
) -> None:
    # A template's items are fixed once published, so every scoring writes the same rows:
    # an upsert, which two writers may race without a duplicate key.
    values = [
        row
        | {
            "customer_id": assessment.customer_id,
            "node_id": assessment.node_id,
            "assessment_id": assessment.id,
        }
        for assessment, rows in scored
        for row in rows
    ]
    if not values:
        return
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = ItemScore.__table__
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=["assessment_id", "item_id", "customer_id"],
        set_={
            name: statement.excluded[name]
            for name in ("state", "self_points", "points", "max_points", "figure")
        },
    )
    connection.execute(statement, values)
    # The rankings tell changed units by this number; it moves in the writer's transaction,
    # so a publication that read the old scores also read the old number.
    connection.execute(
        update(Assessment.__table__)
        .where(Assessment.__table__.c.id.in_(sorted({a.id for a, _ in scored})))
        .values(scores_revision=Assessment.__table__.c.scores_revision + 1)
    )


@event.listens_for(Session, "after_flush")
def _write_pending(session: Session, _context: object) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    ready = [(a, rows) for a, rows in pending.values() if a.id is not None]
    for key in [k for k, (a, _) in pending.items() if a.id is not None]:
        del pending[key]
    if ready:
        _upsert(session.connection(), session.get_bind().dialect.name, ready)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, _previous: object) -> None:
    session.info.pop(_PENDING, None)


def unscored(session: Session, cycle_id: int, assessment_ids: Sequence[int]) -> list[int]:
    """Of the cycle's assessments, those with no kept item scores yet (scored before they
    were kept): a ranking scores these once before it publishes."""
    if not assessment_ids:
        return []
    # One index probe per assessment (the unique key starts with it), not a scan of every
    # item score of the cycle: this runs before every publication.
    kept = ItemScore.__table__.c
    return list(
        session.scalars(
            select(Assessment.id)
            .where(
                Assessment.cycle_id == cycle_id,
                Assessment.id.in_(assessment_ids),
                ~exists().where(kept.assessment_id == Assessment.id),
            )
            .order_by(Assessment.id)
        )
    )
