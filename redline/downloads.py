"""File downloads beside the GraphQL API: a template as Excel, an evidence file as uploaded, an
action plan, the leaders' scorecard matrix and league table and the consequences register as
Excel, a printed report (PDF) as kept, and the logo of a province's letterhead.

All authenticate exactly as /graphql does (session cookie or bearer token) and read through
the signed-in user's scoped session, so a row the user cannot see is a 404 like a missing one.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import TypeVar

from flask import Blueprint, Flask, Response, abort, current_app, request, send_file
from sqlalchemy.orm import Session
from strawberry import relay
from werkzeug.datastructures import MultiDict

from redline import inputs
from redline.errors import DomainError, ErrorCode
from redline.http import error_response
from scoring.assessments.excel import export_self_assessment
from scoring.assessments.models import Assessment, Attachment
from scoring.engine.bands import Band
from scoring.evidence import evidence_store
from scoring.ledgers.access import readable_unit
from scoring.ledgers.ledger_excel import accidents_workbook, hazards_workbook
from scoring.ledgers.models import ActionPlan, LedgerAttachment
from scoring.ledgers.task_excel import export_plan, plan_template
from scoring.ledgers.tasks import plan_input
from scoring.rankings.consequence_workbook import consequence_workbook
from scoring.rankings.consequences import consequence_register
from scoring.rankings.matrix import ColumnKind, MatrixQuery, MatrixSort, Relative
from scoring.rankings.workbook import matrix_pages, matrix_workbook
from scoring.reports import archive
from scoring.reports import letterhead as letterheads
from scoring.reports.archive import reports_visible_to
from scoring.templates.excel import export_template
from scoring.templates.models import Template, TemplateFamily
from scoring.templates.storage import template_content
from tenants.access import Actor
from tenants.auth import SESSION_COOKIE
from tenants.models import TenantLevel, TenantNode
from tenants.scope import scoped

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

blueprint = Blueprint("downloads", __name__, url_prefix="/files")


@contextmanager
def _signed_in() -> Iterator[tuple[Session, Actor]]:
    """The signed-in user and a session scoped to them; 401 when nobody (valid) is signed in."""
    runtime = current_app.extensions["redline"]
    authenticated, problem = runtime.authenticator.from_request(
        request.headers.get("Authorization", ""), request.cookies.get(SESSION_COOKIE)
    )
    if authenticated is None:
        abort(Response(problem or "sign in first", status=401, mimetype="text/plain"))
    if authenticated.must_change_password:
        abort(Response("choose a new password first", status=401, mimetype="text/plain"))
    with scoped(runtime.sessions(), authenticated.actor.scope) as session:
        yield session, authenticated.actor


@contextmanager
def _user_session() -> Iterator[Session]:
    """A session scoped to the signed-in user; 401 when nobody (valid) is signed in."""
    with _signed_in() as (session, _):
        yield session


def _global_database_id(global_id: str, type_name: str) -> int:
    """The database id a global id of ``type_name`` holds; 404 if it is malformed or another's."""
    try:
        decoded = relay.GlobalID.from_id(global_id)
        db_id = inputs.database_id(decoded.node_id)
    except (ValueError, TypeError):  # inputs.InputRejected among them
        abort(404)
    if decoded.type_name != type_name:
        abort(404)
    return db_id


def _visible(session: Session, model: type[T], global_id: str, type_name: str) -> T:
    """The row a global id names, if the user can see it; 404 otherwise (or if malformed)."""
    row = session.get(model, _global_database_id(global_id, type_name))
    if row is None:
        abort(404)
    return row


def _private(response: Response) -> Response:
    # Per-user content: never stored by shared caches, never sniffed into another type.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.get("/templates/<path:global_id>.xlsx")
def template_workbook(global_id: str) -> Response:
    """A template as an Excel workbook (the same layout importTemplate reads back)."""
    with _user_session() as session:
        template = _visible(session, Template, global_id, "Template")
        family = session.get_one(TemplateFamily, template.family_id)
        data = export_template(template_content(session, template))
        name = f"{family.code}-v{template.version}.xlsx"
    response = send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
    return _private(response)


@blueprint.get("/evidence/<path:global_id>")
def evidence_file(global_id: str) -> Response:
    """An assessment's evidence file, as uploaded, always as a download."""
    return _evidence(Attachment, global_id, "Attachment")


@blueprint.get("/ledger-evidence/<path:global_id>")
def ledger_evidence_file(global_id: str) -> Response:
    """A ledger step's evidence file (a rectification photo, a completion report)."""
    return _evidence(LedgerAttachment, global_id, "LedgerFile")


def _evidence(
    model: type[Attachment | LedgerAttachment], global_id: str, type_name: str
) -> Response:
    """An evidence file with the type and name it was uploaded with, always as a download."""
    with _user_session() as session:
        attachment = _visible(session, model, global_id, type_name)
        filename, content_type, sha256 = (
            attachment.filename,
            attachment.content_type,
            attachment.sha256,
        )
    store = evidence_store(current_app.extensions["redline"].settings)
    try:
        stream = store.open(sha256)
    except FileNotFoundError:
        abort(404)
    response = send_file(
        stream, mimetype=content_type, as_attachment=True, download_name=filename, etag=sha256
    )
    # Even opened in a tab, an uploaded HTML or SVG file must not run as our page.
    response.headers["Content-Security-Policy"] = "sandbox"
    return _private(response)


@blueprint.get("/plans/template.xlsx")
def plan_template_workbook() -> Response:
    """A blank action plan to fill in: the header rows and an example (importActionPlan)."""
    with _user_session():
        data = plan_template()
    response = send_file(
        io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name="plan-template.xlsx"
    )
    return _private(response)


@blueprint.get("/plans/<path:global_id>.xlsx")
def plan_workbook(global_id: str) -> Response:
    """An action plan as an Excel workbook, with the task elements the user can see (the
    layout importActionPlan reads back)."""
    with _user_session() as session:
        plan = _visible(session, ActionPlan, global_id, "ActionPlan")
        data = export_plan(plan_input(session, plan))
        name = f"plan-{plan.id}.xlsx"
    response = send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
    return _private(response)


# --- a self-assessment, the accident and hazard ledgers as Excel ------------------------------

LEDGER_PARAMETERS = ("node", "from", "to")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@blueprint.get("/assessments/<path:global_id>/self-assessment.xlsx")
def self_assessment_workbook(global_id: str) -> Response:
    """A unit's self-assessment as the workbook to fill in and import again
    (importSelfAssessment): its inputs, scores and the reviewer's word, keyed to its version."""
    with _user_session() as session:
        assessment = _visible(session, Assessment, global_id, "Assessment")
        data = export_self_assessment(session, assessment)
        unit = session.get_one(TenantNode, assessment.node_id)
        code = _UNSAFE_IN_NAME.sub("_", unit.code)
        name = f"self-assessment-{code}-{assessment.id}-v{assessment.version}.xlsx"
    response = send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
    return _private(response)


@blueprint.get("/ledgers/accidents.xlsx")
def accidents_ledger_workbook() -> Response:
    """The accidents of a unit's subtree that happened in a period, as ``accidents`` lists
    them: ?node=<Tenant id>&from=YYYY-MM-DD&to=YYYY-MM-DD (from and to may be left out)."""
    return _ledger_workbook("accidents", accidents_workbook)


@blueprint.get("/ledgers/hazards.xlsx")
def hazards_ledger_workbook() -> Response:
    """The hazards of a unit's subtree found in a period, as ``hazards`` lists them, with the
    parameters of /files/ledgers/accidents.xlsx."""
    return _ledger_workbook("hazards", hazards_workbook)


def _ledger_workbook(
    what: str, make: Callable[[Session, int, tuple[date, date]], bytes]
) -> Response:
    """A ledger list as Excel: 400 naming a bad parameter, 404 for a unit whose ledgers the
    user does not read, 400 TOO_LARGE beyond what one workbook holds."""
    with _signed_in() as (session, actor):
        try:
            node_id, period = _ledger_request(request.args)
        except _BadParameter as bad:
            return _private(error_response(400, str(bad), ErrorCode.INVALID.name, bad.name))
        unit = readable_unit(session, actor.scope, node_id)
        if unit is None:
            message = "node: no unit with this id whose ledgers you can read"
            return _private(error_response(404, message, ErrorCode.NOT_FOUND.name, "node"))
        try:
            data = make(session, unit.id, period)
        except DomainError as refused:
            return _private(_refusal(refused))
        code = _UNSAFE_IN_NAME.sub("_", unit.code)
        span = "-".join(d.isoformat() for d in period if d not in (date.min, date.max))
        name = f"{what}-{code}{'-' + span if span else ''}.xlsx"
    response = send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
    return _private(response)


def _ledger_request(args: MultiDict[str, str]) -> tuple[int, tuple[date, date]]:
    """The unit and period a ledger download asks for; _BadParameter naming the first wrong."""
    for name in args:
        if name not in LEDGER_PARAMETERS:
            raise _BadParameter(
                name,
                f"is not a parameter of this download (it takes {', '.join(LEDGER_PARAMETERS)})",
            )
        if len(args.getlist(name)) > 1:
            raise _BadParameter(name, "is given more than once")
    node_id = _global_id(args, "node", "Tenant")
    start, end = _day(args, "from"), _day(args, "to")
    if start is not None and end is not None and start > end:
        raise _BadParameter("to", f"the period ends ({end}) before it starts ({start})")
    return node_id, (start or date.min, end or date.max)


def _day(args: MultiDict[str, str], name: str) -> date | None:
    """A day written YYYY-MM-DD; None when absent."""
    value = _text(args, name)
    if value is None:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise _BadParameter(name, f"must be a day written YYYY-MM-DD, not {value!r}") from None


# --- the leaders' scorecard matrix --------------------------------------------------------

# The query parameters of /files/rankings/matrix.xlsx, as scorecardMatrix names its arguments.
MATRIX_PARAMETERS = (
    "cycle",
    "scope",
    "level",
    "columns",
    "category",
    "sort",
    "sortColumn",
    "descending",
    "search",
    "bands",
    "vetoed",
    "relative",
    "relativeColumn",
)
MATRIX_LEVELS = (TenantLevel.TOWNSHIP, TenantLevel.COUNTY, TenantLevel.CITY)
MAX_TEXT = 200  # longer than any unit name or item code
FLAGS = {"1": True, "true": True, "0": False, "false": False}
# A reading service's refusal as an HTTP status; any other code is the request's fault (400).
STATUS_OF = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.CONFLICT: 409,
}
# What a file name keeps of a unit's code (letters of any script, digits, "-", "_", ".").
_UNSAFE_IN_NAME = re.compile(r"[^\w.-]+")


class _BadParameter(Exception):
    """A query parameter that cannot be read: its name and why."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


@dataclass(frozen=True)
class _MatrixRequest:
    """The matrix asked for by the query string."""

    cycle_id: int
    scope_id: int
    level: TenantLevel
    query: MatrixQuery


def _known_parameters(args: MultiDict[str, str], parameters: Sequence[str]) -> None:
    """_BadParameter for the first parameter not among ``parameters``, or given twice."""
    for name in args:
        if name not in parameters:
            raise _BadParameter(
                name,
                f"is not a parameter of this download (it takes {', '.join(parameters)})",
            )
        if len(args.getlist(name)) > 1:
            raise _BadParameter(name, "is given more than once")


def _matrix_request(args: MultiDict[str, str]) -> _MatrixRequest:
    """The query string read, or _BadParameter naming the first parameter at fault."""
    _known_parameters(args, MATRIX_PARAMETERS)
    cycle_id = _global_id(args, "cycle", "Cycle")
    scope_id = _global_id(args, "scope", "Tenant")
    level = _choice(args, "level", TenantLevel, MATRIX_LEVELS)
    if level is None:
        raise _BadParameter("level", f"is required: one of {_names(MATRIX_LEVELS)}")
    return _MatrixRequest(
        cycle_id=cycle_id,
        scope_id=scope_id,
        level=level,
        query=MatrixQuery(
            columns=_choice(args, "columns", ColumnKind) or ColumnKind.CATEGORY,
            category=_text(args, "category"),
            sort=_choice(args, "sort", MatrixSort) or MatrixSort.RANK,
            sort_column=_text(args, "sortColumn"),
            descending=_flag(args, "descending") or False,
            search=_text(args, "search"),
            bands=_bands(args, "bands"),
            vetoed=_flag(args, "vetoed"),
            relative=_choice(args, "relative", Relative),
            relative_column=_text(args, "relativeColumn"),
        ),
    )


def _text(args: MultiDict[str, str], name: str) -> str | None:
    """A parameter's text, trimmed; None when absent or blank."""
    value = args.get(name, "").strip()
    if not value:
        return None
    if len(value) > MAX_TEXT:
        raise _BadParameter(name, f"is longer than {MAX_TEXT} characters")
    try:
        return inputs.check_text(value)
    except inputs.InputRejected as rejected:
        raise _BadParameter(name, str(rejected)) from None


def _global_id(args: MultiDict[str, str], name: str, type_name: str) -> int:
    """The database id inside a required global id of ``type_name``."""
    value = _text(args, name)
    if value is None:
        raise _BadParameter(name, f"is required: the id of a {type_name}")
    try:
        decoded = relay.GlobalID.from_id(value)
    except ValueError:
        raise _BadParameter(name, f"is not the id of a {type_name}") from None
    if decoded.type_name != type_name:
        raise _BadParameter(
            name, f"expected the id of a {type_name}, got one of a {decoded.type_name}"
        )
    try:
        return inputs.database_id(decoded.node_id)
    except inputs.InputRejected:
        raise _BadParameter(name, "is not a valid id") from None


def _choice(
    args: MultiDict[str, str], name: str, kind: type[E], allowed: Sequence[E] | None = None
) -> E | None:
    """One of an enum's members (of ``allowed``, if given) by name, any case; None if absent."""
    value = _text(args, name)
    if value is None:
        return None
    choices = tuple(allowed or kind)
    found = kind.__members__.get(value.upper())
    if found is None or found not in choices:
        raise _BadParameter(name, f"must be one of {_names(choices)}, not {value!r}")
    return found


def _names(choices: Sequence[enum.Enum]) -> str:
    return ", ".join(choice.name for choice in choices)


def _flag(args: MultiDict[str, str], name: str) -> bool | None:
    """1/true or 0/false, any case; None when absent."""
    value = _text(args, name)
    if value is None:
        return None
    found = FLAGS.get(value.lower())
    if found is None:
        raise _BadParameter(name, f"must be 1, 0, true or false, not {value!r}")
    return found


def _bands(args: MultiDict[str, str], name: str) -> frozenset[Band]:
    """Comma-separated band names, any case."""
    value = _text(args, name)
    found = set()
    for part in (value or "").split(","):
        part = part.strip()
        if not part:
            continue
        band = Band.__members__.get(part.upper())
        if band is None:
            raise _BadParameter(name, f"{part!r} is not a band: GREEN, YELLOW or RED")
        found.add(band)
    return frozenset(found)


def _refusal(error: DomainError) -> Response:
    """A reading service's refusal as JSON: its problems in the message, the first one's code."""
    problem = error.problems[0]
    return error_response(
        STATUS_OF.get(problem.code, 400), str(error), problem.code.name, problem.field
    )


def _ranking_workbook(
    read: Callable[[MultiDict[str, str]], T],
    build: Callable[[Session, Actor, T], tuple[bytes, str]],
) -> Response:
    """A workbook of a cycle's rankings: the query string ``read`` (400 naming the parameter
    at fault), the workbook and its file name built as the signed-in user (a reading
    service's refusal as 404, 403 or 400)."""
    with _signed_in() as (session, actor):
        try:
            asked = read(request.args)
        except _BadParameter as bad:
            return _private(error_response(400, str(bad), ErrorCode.INVALID.name, bad.name))
        try:
            data, name = build(session, actor, asked)
        except DomainError as refused:
            return _private(_refusal(refused))
    response = send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)
    return _private(response)


@blueprint.get("/rankings/matrix.xlsx")
def ranking_matrix_workbook() -> Response:
    """The leaders' league table and scorecard matrix of one ranking as Excel: every row the
    filters leave (not a page), as ``scorecardMatrix`` reads them; each cell's band its fill."""

    def build(session: Session, actor: Actor, asked: _MatrixRequest) -> tuple[bytes, str]:
        pages = matrix_pages(
            session, actor, asked.cycle_id, asked.scope_id, asked.level, asked.query
        )
        first = next(pages)
        data = matrix_workbook(chain([first], pages), asked.query)
        code = _UNSAFE_IN_NAME.sub("_", first.scope.code)
        return data, f"ranking-matrix-{first.cycle.id}-{code}.xlsx"

    return _ranking_workbook(_matrix_request, build)


# The query parameters of /files/rankings/consequences.xlsx, as consequenceRegister names them.
REGISTER_PARAMETERS = ("cycle", "scope")


def _register_request(args: MultiDict[str, str]) -> tuple[int, int]:
    """The cycle and scope of a register download; _BadParameter naming the first wrong."""
    _known_parameters(args, REGISTER_PARAMETERS)
    return _global_id(args, "cycle", "Cycle"), _global_id(args, "scope", "Tenant")


@blueprint.get("/rankings/consequences.xlsx")
def consequence_register_workbook() -> Response:
    """The consequences register (奖惩登记) of a cycle for the units under a scope as Excel, as
    ``consequenceRegister`` reads it: ?cycle=<Cycle id>&scope=<Tenant id>."""

    def build(session: Session, actor: Actor, asked: tuple[int, int]) -> tuple[bytes, str]:
        register = consequence_register(session, actor, *asked)
        code = _UNSAFE_IN_NAME.sub("_", register.scope.code)
        name = f"consequences-{register.cycle.id}-{code}.xlsx"
        return consequence_workbook(session, register), name

    return _ranking_workbook(_register_request, build)


# --- printed reports -------------------------------------------------------------------------


@blueprint.get("/reports/<path:global_id>")
def report_file(global_id: str) -> Response:
    """A printed report as kept (see printScorecard, printRankingReport,
    printStatisticsReport, printConsequenceRegister): checked against its checksum before it is
    sent. 404 while it is still printing, or for a report the user may not fetch."""
    with _signed_in() as (session, actor):
        report_id = _global_database_id(global_id, "Report")
        report = session.scalar(
            reports_visible_to(session, actor).where(archive.Report.id == report_id)
        )
        if report is None or report.sha256 is None or report.filename is None:
            abort(404)
        filename, sha256 = report.filename, report.sha256
    store = evidence_store(current_app.extensions["redline"].settings)
    try:
        with store.open(sha256) as stream:
            data = stream.read()
    except FileNotFoundError:
        abort(404)
    if hashlib.sha256(data).hexdigest() != sha256:
        log.error("report %s: the stored file does not match its checksum %s", report_id, sha256)
        return _private(
            error_response(
                409,
                "the stored file no longer matches its checksum: print the report again",
                ErrorCode.CONFLICT.name,
                None,
            )
        )
    response = send_file(
        io.BytesIO(data), mimetype=PDF, as_attachment=True, download_name=filename, etag=sha256
    )
    digest = base64.b64encode(bytes.fromhex(sha256)).decode("ascii")
    response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    return _private(response)


@blueprint.get("/report-letterhead/<int:version>/logo")
def letterhead_logo(version: int) -> Response:
    """The logo of a version of the signed-in user's province letterhead."""
    with _signed_in() as (session, actor):
        found = letterheads.version_of(session, actor.customer_id, version)
        if found is None or found.sha256 is None or found.logo_type is None:
            abort(404)
        sha256, content_type = found.sha256, found.logo_type
    store = evidence_store(current_app.extensions["redline"].settings)
    try:
        stream = store.open(sha256)
    except FileNotFoundError:
        abort(404)
    response = send_file(stream, mimetype=content_type, etag=sha256)
    return _private(response)


def init_app(app: Flask) -> None:
    """Serve the downloads under /files."""
    app.register_blueprint(blueprint)
