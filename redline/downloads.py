"""File downloads beside the GraphQL API: a template as Excel, an evidence file as uploaded.

Both authenticate exactly as /graphql does (session cookie or bearer token) and read through
the signed-in user's scoped session, so a row the user cannot see is a 404 like a missing one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import Blueprint, Flask, Response, abort, current_app, request, send_file
from sqlalchemy.orm import Session
from strawberry import relay

from redline import inputs
from scoring.assessments.models import Attachment
from scoring.evidence import EvidenceStore
from scoring.ledgers.models import ActionPlan, LedgerAttachment
from scoring.ledgers.task_excel import export_plan, plan_template
from scoring.ledgers.tasks import plan_input
from scoring.templates.excel import export_template
from scoring.templates.models import Template, TemplateFamily
from scoring.templates.storage import template_content
from tenants.auth import SESSION_COOKIE
from tenants.scope import scoped

T = TypeVar("T")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

blueprint = Blueprint("downloads", __name__, url_prefix="/files")


@contextmanager
def _user_session() -> Iterator[Session]:
    """A session scoped to the signed-in user; 401 when nobody (valid) is signed in."""
    runtime = current_app.extensions["redline"]
    authenticated, problem = runtime.authenticator.from_request(
        request.headers.get("Authorization", ""), request.cookies.get(SESSION_COOKIE)
    )
    if authenticated is None:
        abort(Response(problem or "sign in first", status=401, mimetype="text/plain"))
    with scoped(runtime.sessions(), authenticated.actor.scope) as session:
        yield session


def _visible(session: Session, model: type[T], global_id: str, type_name: str) -> T:
    """The row a global id names, if the user can see it; 404 otherwise (or if malformed)."""
    try:
        decoded = relay.GlobalID.from_id(global_id)
        db_id = inputs.database_id(decoded.node_id)
    except (ValueError, TypeError):  # inputs.InputRejected among them
        abort(404)
    if decoded.type_name != type_name:
        abort(404)
    row = session.get(model, db_id)
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
    store = EvidenceStore(current_app.extensions["redline"].settings.attachment_dir)
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


def init_app(app: Flask) -> None:
    """Serve the downloads under /files."""
    app.register_blueprint(blueprint)
