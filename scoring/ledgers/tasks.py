"""Task lists (清单): action plans decomposed into topics, special projects and task elements,
each element with its responsible unit and deadline; completion with evidence, and figures.

A plan is a document of the province (every unit of it sees the plan); each task element is in
its responsible unit's ledger (the unit and the levels above it see it, its siblings do not).
A plan holds topics (专题) holding projects (专项) and elements, or, without topics, projects
and elements of its own; projects hold elements only.

Figures (:func:`task_tally`) are taken as of a moment: an element is *done* once completed by
then, and *overdue* once its deadline day has passed without completion by the end of that day
(so an element completed late stays overdue)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from redline.config import Settings
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from redline.versions import check_version, writing
from scoring.evidence import EvidenceStore, evidence_store
from scoring.ledgers import history
from scoring.ledgers.access import require_keeper, require_supervisor
from scoring.ledgers.effects import ledger_changed
from scoring.ledgers.history import (
    EvidenceFile,
    Subject,
    attach,
    file_problems,
    note_problem,
    record,
)
from scoring.ledgers.models import (
    ActionPlan,
    LedgerSubject,
    PlanSection,
    SectionKind,
    TaskElement,
    TaskState,
)
from tenants.access import Actor, user_id_of
from tenants.models import TenantNode
from tenants.scope import in_subtree

MAX_ELEMENTS = 5000  # per plan: Guangyuan's has 291
MAX_SECTIONS = 1000
PLAN_TITLE_MAX = 300
SECTION_TITLE_MAX = 500
ELEMENT_TITLE_MAX = 1000
CODE_MAX = 40
LOOKUP_CHUNK = 500  # unit codes or names per IN (...) lookup


@dataclass(frozen=True)
class ElementInput:
    """A task element as an office writes it: ``responsible`` is the unit's code (or its
    exact name, when only one unit under the plan's owner has it)."""

    code: str
    title: str
    responsible: str
    deadline: date | None


@dataclass(frozen=True)
class SectionInput:
    """A topic (``kind`` "topic": projects and elements) or a project ("project": elements)."""

    code: str
    title: str
    kind: str
    sections: tuple[SectionInput, ...] = ()
    elements: tuple[ElementInput, ...] = ()


@dataclass(frozen=True)
class PlanInput:
    """A whole plan: its title, period and content, in plan order."""

    title: str
    period_start: date | None
    period_end: date | None
    sections: tuple[SectionInput, ...] = ()
    elements: tuple[ElementInput, ...] = ()


# --- creating a plan -------------------------------------------------------------------------


def walk_elements(
    data: PlanInput,
) -> Iterator[tuple[str, ElementInput, SectionInput | None, SectionInput | None]]:
    """Every element in plan order with its input path ("sections.0.elements.2"), its topic
    and its project (None where it has none): a section's elements come before its sections."""

    def walk(sections: Sequence[SectionInput], prefix: str, topic: SectionInput | None):
        for index, section in enumerate(sections):
            path = f"{prefix}sections.{index}"
            is_topic = _kind(section.kind) is SectionKind.TOPIC
            owner_topic = section if is_topic else topic
            project = None if is_topic else section
            for number, element in enumerate(section.elements):
                yield f"{path}.elements.{number}", element, owner_topic, project
            yield from walk(section.sections, f"{path}.", owner_topic)

    for number, element in enumerate(data.elements):
        yield f"elements.{number}", element, None, None
    yield from walk(data.sections, "", None)


def walk_sections(data: PlanInput) -> Iterator[tuple[str, SectionInput, SectionInput | None]]:
    """Every section in plan order with its input path and its parent (None at the top)."""

    def walk(sections: Sequence[SectionInput], prefix: str, parent: SectionInput | None):
        for index, section in enumerate(sections):
            path = f"{prefix}sections.{index}"
            yield path, section, parent
            yield from walk(section.sections, f"{path}.", section)

    yield from walk(data.sections, "", None)


def _kind(raw: str) -> SectionKind | None:
    try:
        return SectionKind(str(raw).strip().lower())
    except ValueError:
        return None


def _text_problem(value: str, field: str, what: str, limit: int) -> Problem | None:
    text = (value or "").strip()
    if not text:
        return Problem(field, f"give the {what}", ErrorCode.REQUIRED)
    if len(text) > limit:
        return Problem(field, f"the {what} has more than {limit} characters", ErrorCode.INVALID)
    return None


def _structure_problems(data: PlanInput) -> list[Problem]:
    """Titles, codes, kinds and nesting of the sections; codes of the elements."""
    problems: list[Problem] = []
    has_topics = any(_kind(s.kind) is SectionKind.TOPIC for s in data.sections)
    section_codes: dict[str, str] = {}
    for path, section, parent in walk_sections(data):
        kind = _kind(section.kind)
        for problem in (
            _text_problem(section.code, f"{path}.code", "code", CODE_MAX),
            _text_problem(section.title, f"{path}.title", "title", SECTION_TITLE_MAX),
        ):
            if problem:
                problems.append(problem)
        code = (section.code or "").strip()
        if code and code in section_codes:
            problems.append(
                Problem(
                    f"{path}.code", f"{code} repeats {section_codes[code]}", ErrorCode.DUPLICATE
                )
            )
        elif code:
            section_codes[code] = path
        if kind is None:
            problems.append(
                Problem(
                    f"{path}.kind",
                    f"unknown kind {section.kind!r}: use topic or project",
                    ErrorCode.INVALID,
                )
            )
        elif parent is not None and kind is SectionKind.TOPIC:
            problems.append(
                Problem(f"{path}.kind", "a topic cannot be inside another", ErrorCode.INVALID)
            )
        elif parent is None and kind is SectionKind.PROJECT and has_topics:
            problems.append(
                Problem(
                    f"{path}.kind",
                    "this plan has topics: put the project inside one",
                    ErrorCode.INVALID,
                )
            )
        if kind is SectionKind.PROJECT and section.sections:
            problems.append(
                Problem(f"{path}.sections", "a project holds task elements only", ErrorCode.INVALID)
            )
    if has_topics:
        for number in range(len(data.elements)):
            problems.append(
                Problem(
                    f"elements.{number}",
                    "this plan has topics: put the task element inside one",
                    ErrorCode.INVALID,
                )
            )
    return problems


def _element_problems(data: PlanInput) -> list[Problem]:
    """Codes, titles and deadlines of the elements (their units are resolved apart)."""
    problems: list[Problem] = []
    codes: dict[str, str] = {}
    start, end = data.period_start, data.period_end
    period = (start, end) if start is not None and end is not None and start <= end else None
    for path, element, _, _ in walk_elements(data):
        for problem in (
            _text_problem(element.code, f"{path}.code", "code", CODE_MAX),
            _text_problem(element.title, f"{path}.title", "title", ELEMENT_TITLE_MAX),
        ):
            if problem:
                problems.append(problem)
        code = (element.code or "").strip()
        if code and code in codes:
            problems.append(
                Problem(f"{path}.code", f"{code} repeats {codes[code]}", ErrorCode.DUPLICATE)
            )
        elif code:
            codes[code] = path
        if element.deadline is None:
            problems.append(Problem(f"{path}.deadline", "give the deadline", ErrorCode.REQUIRED))
        elif period is not None and not period[0] <= element.deadline <= period[1]:
            problems.append(
                Problem(
                    f"{path}.deadline",
                    f"{element.deadline} is outside the plan's period {start}..{end}",
                    ErrorCode.INVALID,
                )
            )
    return problems


def _plan_problems(data: PlanInput) -> list[Problem]:
    problems: list[Problem] = []
    title = _text_problem(data.title, "title", "title", PLAN_TITLE_MAX)
    if title:
        problems.append(title)
    if data.period_start is None:
        problems.append(Problem("periodStart", "give the first day", ErrorCode.REQUIRED))
    if data.period_end is None:
        problems.append(Problem("periodEnd", "give the last day", ErrorCode.REQUIRED))
    if data.period_start and data.period_end and data.period_start > data.period_end:
        problems.append(Problem("periodEnd", "the period ends before it starts", ErrorCode.INVALID))
    return problems


def _resolve_units(
    session: Session, owner: TenantNode, data: PlanInput
) -> tuple[dict[str, TenantNode], list[Problem]]:
    """Each element's responsible unit under ``owner`` (by code, else by exact name), by path."""
    wanted = {e.responsible.strip() for _, e, _, _ in walk_elements(data) if e.responsible}
    wanted.discard("")
    candidates: list[TenantNode] = []
    ordered = sorted(wanted)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = ordered[start : start + LOOKUP_CHUNK]
        candidates.extend(
            session.scalars(
                select(TenantNode).where(
                    TenantNode.customer_id == owner.customer_id,
                    in_subtree(TenantNode.path, owner.path),
                    or_(
                        TenantNode.code.in_(chunk),
                        TenantNode.name_zh.in_(chunk),
                        TenantNode.name_en.in_(chunk),
                    ),
                )
            )
        )
    by_code = {n.code: n for n in candidates}
    by_name: dict[str, dict[int, TenantNode]] = defaultdict(dict)
    for node in candidates:
        by_name[node.name_zh][node.id] = node
        by_name[node.name_en][node.id] = node
    units: dict[str, TenantNode] = {}
    problems: list[Problem] = []
    for path, element, _, _ in walk_elements(data):
        text = (element.responsible or "").strip()
        field = f"{path}.responsible"
        if not text:
            problems.append(Problem(field, "name the responsible unit", ErrorCode.REQUIRED))
        elif text in by_code:
            units[path] = by_code[text]
        elif len(by_name.get(text, {})) == 1:
            units[path] = next(iter(by_name[text].values()))
        elif text in by_name:
            problems.append(
                Problem(
                    field,
                    f"{len(by_name[text])} units under {owner.code} are named {text}: "
                    "give the unit's code",
                    ErrorCode.INVALID,
                )
            )
        else:
            problems.append(Problem(field, f"no unit {text} under {owner.code}", ErrorCode.INVALID))
    return units, problems


def create_plan(
    session: Session,
    actor: Actor | None,
    owner: TenantNode,
    data: PlanInput,
    *,
    now: datetime | None = None,
) -> ActionPlan:
    """Issue an action plan of ``owner`` (its assessors and admins), every element recorded in
    its responsible unit's ledger; one DomainError naming every bad input otherwise."""
    require_supervisor(actor, owner, "ownerNodeId")
    count = sum(1 for _ in walk_elements(data))
    if count > MAX_ELEMENTS:
        raise fail(
            None,
            f"the plan has {count} task elements: at most {MAX_ELEMENTS} in one plan",
            ErrorCode.TOO_LARGE,
        )
    if sum(1 for _ in walk_sections(data)) > MAX_SECTIONS:
        raise fail(None, f"at most {MAX_SECTIONS} topics and projects", ErrorCode.TOO_LARGE)
    problems = _plan_problems(data) + _structure_problems(data) + _element_problems(data)
    if not count:
        problems.append(Problem("elements", "a plan needs task elements", ErrorCode.REQUIRED))
    units, unit_problems = _resolve_units(session, owner, data)
    problems += unit_problems
    if problems:
        raise DomainError(problems)
    now = now or utcnow()
    session.flush()  # earlier work of the caller stays out of the savepoint
    with session.begin_nested():
        plan = _write_plan(session, actor, owner, data, units, now)
        for node in _deepest(units.values()):
            ledger_changed(session, node)
    return plan


def _write_plan(
    session: Session,
    actor: Actor | None,
    owner: TenantNode,
    data: PlanInput,
    units: dict[str, TenantNode],
    now: datetime,
) -> ActionPlan:
    """The plan's rows in a few statements: the plan, each level of sections, the elements,
    their "recorded" events (bulk inserts, whatever the number of rows)."""
    plan = ActionPlan(
        customer_id=owner.customer_id,
        owner_node_id=owner.id,
        title=data.title.strip(),
        period_start=data.period_start,
        period_end=data.period_end,
        created_by_id=user_id_of(actor),
        created_at=now,
        updated_at=now,
    )
    session.add(plan)
    session.flush()
    # One position counter for the whole plan: sections and elements sort in plan order.
    positions = {path: number for number, path in enumerate(_plan_order(data), start=1)}
    section_ids: dict[str, int] = {}
    level = [(path, s) for path, s, parent in walk_sections(data) if parent is None]
    while level:
        ids = _insert(
            session,
            PlanSection,
            [
                {
                    "customer_id": plan.customer_id,
                    "plan_id": plan.id,
                    "parent_id": section_ids.get(path.rpartition(".sections.")[0]),
                    "position": positions[path],
                    "kind": _kind(section.kind),
                    "code": section.code.strip(),
                    "title": section.title.strip(),
                }
                for path, section in level
            ],
        )
        section_ids.update((path, ids[positions[path]]) for path, _ in level)
        level = [
            (f"{path}.sections.{index}", child)
            for path, section in level
            for index, child in enumerate(section.sections)
        ]
    elements = [
        {
            "customer_id": units[path].customer_id,
            "node_id": units[path].id,
            "plan_id": plan.id,
            "section_id": section_ids.get(path.rpartition(".elements.")[0]),
            "position": positions[path],
            "code": element.code.strip(),
            "title": element.title.strip(),
            "deadline": element.deadline,
            "state": TaskState.PENDING,
            "created_at": now,
            "updated_at": now,
        }
        for path, element, _, _ in walk_elements(data)
    ]
    ids = _insert(session, TaskElement, elements)
    history.record_many(
        session,
        [Subject(r["customer_id"], r["node_id"], ids[r["position"]]) for r in elements],
        LedgerSubject.TASK_ELEMENT,
        actor,
        action="recorded",
        at=now,
    )
    return plan


def _insert(
    session: Session, model: type[PlanSection] | type[TaskElement], rows: list[dict[str, Any]]
) -> dict[int, int]:
    """Insert ``rows`` in one statement; their ids by position.

    A bulk insert is not a flush, so the scoped session's write guard does not see it: every
    unit was checked to be the owner or below it, which the actor supervises (and on
    PostgreSQL the row-level-security policies check the rows again).
    """
    result = session.execute(insert(model).returning(model.id, model.position), rows)
    return {position: row_id for row_id, position in result}


def _plan_order(data: PlanInput) -> Iterator[str]:
    """Input paths of the plan's sections and elements in plan order (elements first)."""

    def walk(section: SectionInput, path: str) -> Iterator[str]:
        yield path
        for number in range(len(section.elements)):
            yield f"{path}.elements.{number}"
        for index, child in enumerate(section.sections):
            yield from walk(child, f"{path}.sections.{index}")

    for number in range(len(data.elements)):
        yield f"elements.{number}"
    for index, section in enumerate(data.sections):
        yield from walk(section, f"sections.{index}")


def _deepest(nodes: Iterable[TenantNode]) -> list[TenantNode]:
    """The nodes with none of the others below them: re-scoring each with its ancestors
    re-scores every node's assessments, and the shared ancestors' fewer times."""
    distinct = {n.id: n for n in nodes}.values()
    return [
        n for n in distinct if not any(o.id != n.id and o.path.startswith(n.path) for o in distinct)
    ]


def plan_input(session: Session, plan: ActionPlan) -> PlanInput:
    """A stored plan as the input that would create it (the elements the session sees, each
    naming its unit by code): what the Excel export writes."""
    sections = session.scalars(
        select(PlanSection).where(PlanSection.plan_id == plan.id).order_by(PlanSection.position)
    ).all()
    rows = session.execute(
        select(TaskElement, TenantNode.code)
        .join(TenantNode, TenantNode.id == TaskElement.node_id)
        .where(TaskElement.plan_id == plan.id)
        .order_by(TaskElement.position)
    ).all()
    elements: dict[int | None, list[ElementInput]] = defaultdict(list)
    for element, code in rows:
        elements[element.section_id].append(
            ElementInput(element.code, element.title, code, element.deadline)
        )
    children: dict[int | None, list[PlanSection]] = defaultdict(list)
    for section in sections:
        children[section.parent_id].append(section)

    def build(section: PlanSection) -> SectionInput:
        return SectionInput(
            code=section.code,
            title=section.title,
            kind=section.kind.value,
            sections=tuple(build(child) for child in children[section.id]),
            elements=tuple(elements[section.id]),
        )

    return PlanInput(
        title=plan.title,
        period_start=plan.period_start,
        period_end=plan.period_end,
        sections=tuple(build(s) for s in children[None]),
        elements=tuple(elements[None]),
    )


# --- completing and reopening ----------------------------------------------------------------


def _require_state(element: TaskElement, state: TaskState, doing: str) -> None:
    if element.state is not state:
        raise fail(
            "elementId",
            f"the task element is {element.state.value}: {doing} needs it {state.value}",
            ErrorCode.INVALID_STATE,
        )


def complete_element(
    session: Session,
    actor: Actor | None,
    element: TaskElement,
    *,
    note: str,
    files: Sequence[EvidenceFile] = (),
    expected_version: int,
    store: EvidenceStore | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> TaskElement:
    """The responsible unit's keepers mark the element done, saying what was done (``note``)
    with optional evidence files; pending -> done."""
    node = session.get_one(TenantNode, element.node_id)
    require_keeper(actor, node, "elementId")
    _require_state(element, TaskState.PENDING, "completing")
    check_version(element.version, expected_version, "the task element")
    settings = settings or Settings.from_env()
    problems = [p for p in (note_problem(note),) if p] + file_problems(files, settings)
    if problems:
        raise DomainError(problems)
    store = store or evidence_store(settings)
    now = now or utcnow()
    with writing(session, expected_version, "the task element"):
        element.state = TaskState.DONE
        element.completed_at = now
        element.completed_by_id = user_id_of(actor)
        element.updated_at = now
        session.flush()
        event = record(
            session,
            element,
            LedgerSubject.TASK_ELEMENT,
            actor,
            action="completed",
            field="state",
            old=TaskState.PENDING,
            new=TaskState.DONE,
            note=note,
            at=now,
        )
        attach(session, event, files, store, actor)
        ledger_changed(session, node)
    return element


def reopen_element(
    session: Session,
    actor: Actor | None,
    element: TaskElement,
    *,
    reason: str,
    expected_version: int,
    now: datetime | None = None,
) -> TaskElement:
    """An office above the unit (assessor, admin) sends a done element back, saying why:
    done -> pending, its completion cleared (the history keeps it)."""
    node = session.get_one(TenantNode, element.node_id)
    require_supervisor(actor, node, "elementId")
    _require_state(element, TaskState.DONE, "reopening")
    check_version(element.version, expected_version, "the task element")
    if not (reason or "").strip():
        raise fail("reason", "say why the task element is reopened", ErrorCode.REQUIRED)
    problem = note_problem(reason, "reason")
    if problem:
        raise DomainError(problem)
    now = now or utcnow()
    with writing(session, expected_version, "the task element"):
        element.state = TaskState.PENDING
        element.completed_at = None
        element.completed_by_id = None
        element.updated_at = now
        session.flush()
        record(
            session,
            element,
            LedgerSubject.TASK_ELEMENT,
            actor,
            action="reopened",
            field="state",
            old=TaskState.DONE,
            new=TaskState.PENDING,
            note=reason,
            at=now,
        )
        ledger_changed(session, node)
    return element
