"""The demo's template versions (templates.csv), made in order through the template services:
``written`` from the family's document, ``copied`` from the family's previous version,
``revised`` (copied, then rewritten with the family's document for its year), ``extended`` from
the base family's version of the same year; each published, left a draft, or archived once the
cycles using it are played."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from redline.db import unit_of_work
from redline.demo.people import People
from redline.demo.tables import Row, table
from redline.demo.templates import document, extension, families, is_ledger_fed, title_of
from scoring.templates.document import TemplateContent
from scoring.templates.models import Template, TemplateFamily, TemplateState
from scoring.templates.service import (
    archive,
    create_template,
    extend_template,
    new_version,
    publish,
    update_draft,
)
from scoring.templates.storage import template_content

TEMPLATES = "family_code year made composite_weight author state"
MADE = ("written", "copied", "revised", "extended")
VERSION_STATES = {
    s.value: s for s in (TemplateState.PUBLISHED, TemplateState.DRAFT, TemplateState.ARCHIVED)
}


@dataclass
class Version:
    """A version of templates.csv and the template made of it."""

    row: Row
    template: Template


def make_templates(session: Session, people: People) -> dict[tuple[str, int], Version]:
    """Every version of templates.csv, made in order (one transaction); by (family, year)."""
    made: dict[tuple[str, int], Version] = {}
    for row in table("templates.csv", TEMPLATES):
        family = row.pick("family_code", families(), "family", "template_families.csv")
        code, year = row.text("family_code"), row.integer("year")
        author = people.actor(row, "author")
        how = row.pick("made", {m: m for m in MADE}, "way")
        state = row.pick("state", VERSION_STATES, "state")
        previous = [v.template for (f, _), v in made.items() if f == code]
        with row.applying():
            if how == "written":
                template = create_template(
                    session,
                    author,
                    owner_node=people.node(family, "owner_code"),
                    family_code=code,
                    family_name=family.text("family_name"),
                    content=_content(row, code, year),
                )
            elif how == "extended":
                base_key = (family.text("base_family"), year)
                if base_key not in made:
                    raise row.fail("year", f"no version {year} of {base_key[0]} above this row")
                base = made[base_key].template
                content = extension(code, template_content(session, base), year)
                owner = people.node(family, "owner_code")
                template = extend_template(session, author, base, owner_node=owner, content=content)
                named = session.get_one(TemplateFamily, template.family_id).code
                if named != code:
                    raise row.fail("family_code", f"the service names the extension {named}")
            else:
                if not previous:
                    raise row.fail("made", f"{code} has no earlier version to copy")
                template = new_version(
                    session, author, previous[-1], year=year, title=title_of(code, year)
                )
                if how == "revised":
                    update_draft(
                        session,
                        author,
                        template,
                        _content(row, code, year),
                        expected_version=template.lock_version,
                    )
            if state is not TemplateState.DRAFT:
                publish(session, author, template, expected_version=template.lock_version)
        made[(code, year)] = Version(row, template)
    return made


def _content(row: Row, code: str, year: int) -> TemplateContent:
    """The family's document for ``year`` with the row's composite weight."""
    content = document(code, year, ledger_fed=is_ledger_fed(code, year))
    return replace(content, composite_weight=row.maybe("composite_weight", row.decimal))


def archive_done(
    session: Session,
    people: People,
    templates: dict[tuple[str, int], Version],
    cycle_rows: tuple[Row, ...],
    played: set[str],
) -> None:
    """Archive the versions marked archived once every cycle using them is played."""
    waiting = {
        (r.text("family_code"), r.integer("template_year"))
        for r in cycle_rows
        if r.text("cycle") not in played
    }
    for key, version in templates.items():
        template = version.template
        if (
            version.row.text("state") == TemplateState.ARCHIVED.value
            and key not in waiting
            and template.state is not TemplateState.ARCHIVED
        ):
            with unit_of_work(session), version.row.applying():
                archive(session, people.actor(version.row, "author"), template)
