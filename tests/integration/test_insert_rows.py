"""Rows inserted in bulk (COPY on PostgreSQL) read back as an INSERT would have written them."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from redline.db import insert_rows
from scoring.rankings.models import RankingRow
from tests.factories.rankings import publish_sample_rankings
from tests.factories.tenants import node

D = Decimal


def test_bulk_rows_keep_every_type_and_stay_in_the_transaction(world, sessions):
    session, _, snapshot = publish_sample_rankings(world, sessions)
    unit = node(session, "330402007")
    row = {
        "customer_id": unit.customer_id,
        "snapshot_id": snapshot.id,
        "scope_node_id": unit.parent_id,
        "level": "township",
        "node_id": unit.id,
        "unit_code": "330402007",
        "unit_name_zh": "新丰镇",
        "unit_name_en": "Xinfeng",
        "assessment_id": None,
        "group_code": None,
        "group_name": None,
        "position": 99,
        "rank": 98,
        "of": 99,
        "previous_rank": None,
        "score": D("87.125"),
        "previous_score": None,
        "percent": D("87.13"),
        "band": "yellow",
        "score_trend": None,
        "rank_trend": None,
        "self_total": D("90"),
        "grade": "good",
        "vetoed": True,
        "veto_reasons": [
            {"rule": "V1", "title": "较大事故", "reason": "“引号”\t和换行\n", "evidence": ""}
        ],
        "yellow_cards": [],
        "overdue_major_hazards": 2,
        "state": "final",
    }
    insert_rows(session, RankingRow.__table__, [row, row | {"position": 100, "rank": 99}])
    found = session.scalars(
        select(RankingRow).where(RankingRow.snapshot_id == snapshot.id, RankingRow.position >= 99)
    ).all()
    assert [(r.position, r.rank) for r in found] == [(99, 98), (100, 99)]
    first = found[0]
    assert first.score == D("87.1250") and first.percent == D("87.1300")
    assert first.previous_score is None and first.assessment_id is None
    assert first.vetoed is True and first.level == "township"
    assert first.veto_reasons == row["veto_reasons"] and first.yellow_cards == []
    # In the session's transaction: gone with its rollback.
    session.rollback()
    assert not session.scalars(
        select(RankingRow).where(RankingRow.snapshot_id == snapshot.id, RankingRow.position >= 99)
    ).all()
