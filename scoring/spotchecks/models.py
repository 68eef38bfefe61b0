"""The spot-check draw tables: a draw of a cycle (its seed, its inputs as drawn, who drew and
published it) and its targets. Both belong to the province (customer-owned): an unpublished
draw is read by the offices of the drawing unit and above, a published one by every unit of its
subtree (``scoring.spotchecks.reading`` decides who)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from redline.db import Amount, Base, Document, UtcDateTime, utcnow
from tenants.models import ProvinceSharded, province_key


class SpotCheckDraw(Base, ProvinceSharded):
    """One draw of spot-check targets and inspectors among a cycle's units under ``scope``.

    ``inputs`` keeps everything the draw was made from (the strata and their counts, each
    candidate with its weight and why, each inspector with their unit's path), so anyone who
    reads the draw can make it again from the seed and find the same targets.
    """

    __tablename__ = "spot_check_draw"
    __table_args__ = (province_key("cycle_id", "cycle", ondelete="CASCADE"),)

    cycle_id: Mapped[int] = mapped_column(Integer, index=True)
    # The drawing office: the candidates are the cycle's units in its subtree.
    scope_node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    seed: Mapped[str] = mapped_column(String(100))
    inspectors_per_target: Mapped[int] = mapped_column(Integer)
    criticised_weight: Mapped[Decimal] = mapped_column(Amount)
    # {"stratified_by": "kind" | "none", "quotas": {stratum: count},
    #  "units": [[id, code, path, stratum, weight, reason]], "inspectors": [[id, path]]}
    inputs: Mapped[dict[str, Any]] = mapped_column(Document)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    drawn_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SpotCheckDrawTarget(Base, ProvinceSharded):
    """A unit drawn for a spot check, with its inspectors. The unit's and inspectors' names
    are kept as drawn: the published list stays what was published."""

    __tablename__ = "spot_check_draw_target"
    __table_args__ = (
        UniqueConstraint("draw_id", "unit_id", "customer_id", name="uq_spot_check_draw_target"),
        province_key("draw_id", "spot_check_draw", ondelete="CASCADE"),
        province_key("assessment_id", "assessment", ondelete="CASCADE"),
    )

    draw_id: Mapped[int] = mapped_column(Integer, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    # The unit's assessment in the cycle: where the check's findings are recorded.
    assessment_id: Mapped[int] = mapped_column(Integer)
    unit_code: Mapped[str] = mapped_column(String(40))
    unit_name_zh: Mapped[str] = mapped_column(String(200))
    unit_name_en: Mapped[str] = mapped_column(String(200))
    stratum: Mapped[str] = mapped_column(String(40))
    # Its place in its stratum's draw (1: drawn first).
    position: Mapped[int] = mapped_column(Integer)
    weight: Mapped[Decimal] = mapped_column(Amount)
    reason: Mapped[str] = mapped_column(Text)
    # The previous cycle in which the unit was graded unqualified (why it weighs more).
    criticised_in: Mapped[str | None] = mapped_column(String(300))
    # [{"user_id", "name", "unit_code", "unit_name_zh"}], the first leading the check.
    inspectors: Mapped[list[dict[str, Any]]] = mapped_column(Document)
