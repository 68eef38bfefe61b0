"""Province code spaces: every unit's code begins with the first two characters of its
province's code, and no two provinces share those (tenants.hierarchy.CODE_SPACE_LENGTH). The
rule lets createTenant and updateTenant refuse another province's codes as invalid whether or
not that province holds them; this revision changes no table, it checks that the data already
keep the rule and stops the upgrade, naming the units, if they do not (re-code them with
`redline tenants import` or the API, then upgrade again).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# tenants.hierarchy.CODE_SPACE_LENGTH when this revision was written (a migration keeps its own).
CODE_SPACE_LENGTH = 2
SHOWN = 20


def upgrade() -> None:
    rows = op.get_bind().execute(sa.text("SELECT code, path, depth FROM tenant_node")).all()
    provinces = sorted(code for code, _, depth in rows if depth == 0)
    problems = [
        f"provinces {a} and {b} share the code space {a[:CODE_SPACE_LENGTH]!r}"
        for i, a in enumerate(provinces)
        for b in provinces[i + 1 :]
        if a[:CODE_SPACE_LENGTH].startswith(b[:CODE_SPACE_LENGTH])
        or b[:CODE_SPACE_LENGTH].startswith(a[:CODE_SPACE_LENGTH])
    ]
    for code, path, depth in sorted(rows):
        prefix = path.strip("/").split("/")[0][:CODE_SPACE_LENGTH]
        if depth > 0 and not code.startswith(prefix):
            problems.append(f"unit {code} ({path}) does not begin with its province's {prefix!r}")
    if problems:
        more = f" and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        raise RuntimeError(
            "0017: units must have codes in their province's code space: "
            + "; ".join(problems[:SHOWN])
            + more
        )


def downgrade() -> None:
    pass
