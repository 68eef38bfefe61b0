"""A cycle's consequences register (奖惩登记) as a PDF: the policy in one paragraph, then the
units commended, criticised, whose leaders are interviewed and whose leaders are barred (until
when), each with its grounds; final once the cycle is closed, a preview before."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from scoring.engine.consequences import Consequence
from scoring.rankings.consequences import consequence_register
from scoring.rankings.register_lines import (
    CONSEQUENCES,
    policy_said,
    register_lines,
    register_state,
)
from scoring.reports import words
from scoring.reports.letterhead import Printed
from scoring.reports.ranking import snapshot_computed_at, snapshot_version
from scoring.reports.render import renderer
from tenants.access import Actor


@dataclass(frozen=True)
class RegisteredLine:
    """A unit under one consequence, as printed."""

    rank: str
    code: str
    name: str
    total: str
    grade: str
    grounds: tuple[str, ...]
    until: str  # the last day of a bar; "" for the other consequences
    group: str = ""  # the assessment group (分类考核) its rank is within


@dataclass(frozen=True)
class ConsequenceGroup:
    """The units of one consequence."""

    kind: str  # the Consequence's value (a CSS class)
    title: str
    lines: tuple[RegisteredLine, ...]


@dataclass(frozen=True)
class ConsequenceReport:
    """Everything the register prints, in one language."""

    cycle_name: str
    scope_code: str
    scope_name: str
    snapshot: str
    computed_at: str
    state: str
    final: bool
    decided_on: str
    policy: str
    published: bool
    groups: tuple[ConsequenceGroup, ...]


def consequence_report(
    session: Session, actor: Actor, cycle_id: int, scope_id: int, lang: str
) -> ConsequenceReport:
    """The register's content, read as ``consequenceRegister`` reads it (the same refusals)."""
    register = consequence_register(session, actor, cycle_id, scope_id)
    w = words.words(lang)
    lines = register_lines(session, register, lang, w)
    groups = tuple(
        ConsequenceGroup(
            kind=consequence.value,
            title=CONSEQUENCES[lang][consequence],
            lines=tuple(
                RegisteredLine(
                    rank=str(line.rank) if line.rank is not None else "—",
                    code=line.code,
                    name=line.name,
                    total=words.points(line.total),
                    grade=line.grade,
                    grounds=line.grounds,
                    until=line.until.isoformat() if line.until else "",
                    group=line.group,
                )
                for line in lines
                if line.consequence is consequence
            ),
        )
        for consequence in Consequence
    )
    policy = w["sep"].join(
        f"{label}{w['colon']}{text}" for label, text in policy_said(register.policy, lang)
    )
    scope = register.scope
    return ConsequenceReport(
        cycle_name=register.cycle.name,
        scope_code=scope.code,
        scope_name=words.name_in(lang, scope.name_zh, scope.name_en),
        snapshot=snapshot_version(register.snapshot, lang),
        computed_at=snapshot_computed_at(register.snapshot),
        state=register_state(register, lang),
        final=register.final,
        decided_on=register.decided_on.isoformat() if register.decided_on else "—",
        policy=policy + ("。" if lang == "zh" else "."),
        published=register.snapshot is not None,
        groups=groups,
    )


def render_consequences(
    report: ConsequenceReport, lang: str, letterhead: Printed | None = None
) -> bytes:
    """A consequences register's content printed."""
    return renderer().pdf("consequences.html", lang, {"r": report, "letterhead": letterhead})
