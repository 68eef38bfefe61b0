"""/files downloads: authenticated like /graphql, scoped like it, safe headers, 404 when unseen."""

from __future__ import annotations

from typing import Any

import pytest

from scoring.assessments.attachments import add_attachment
from scoring.assessments.models import Attachment
from scoring.evidence import EvidenceStore, FolderStore
from scoring.templates.excel import import_template
from scoring.templates.storage import template_content
from tests.factories.api import PDF, XLSX, gid, signed_in
from tests.factories.assessments import assessment_of, open_sample_cycle
from tests.factories.templates import published_sample

NAME = "安委会会议纪要 (Q4).pdf"


@pytest.fixture
def store(runtime, tmp_path) -> EvidenceStore:
    runtime.settings = runtime.settings.with_(attachment_dir=tmp_path / "evidence")
    return FolderStore(runtime.settings.attachment_dir)


@pytest.fixture
def files(world, runtime, store) -> dict[str, Any]:
    """A published template and, in a township cycle over Jiaxing, one evidence file of
    Xiangjiadang (330402901)."""
    template = published_sample(world)
    cycle = open_sample_cycle(world, owner_code="330400", template=template)
    assessment = assessment_of(world, cycle, "330402901")
    attachment = add_attachment(
        world,
        None,
        assessment,
        "1.3",
        filename=NAME,
        content_type="application/pdf",
        data=PDF,
        store=store,
        settings=runtime.settings,
    )
    world.commit()
    return {
        "template": template,
        "excel": f"/files/templates/{gid('Template', template.id)}.xlsx",
        "attachment": attachment,
        "evidence": f"/files/evidence/{gid('Attachment', attachment.id)}",
    }


def test_a_template_downloads_as_the_workbook_it_exports(world, files, make_gql):
    gql = signed_in(make_gql, "xjd-clerk")  # any unit of the province reads its templates
    response = gql.http.get(files["excel"])
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == ("attachment; filename=zj-township-v1.xlsx")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    # The workbook reads back as the template (its bytes carry the time it was made).
    assert import_template(response.data) == template_content(world, files["template"])


def test_evidence_downloads_with_its_type_and_name_as_an_attachment(world, files, make_gql):
    for username in ("xjd-clerk", "nanhu-office", "jx-office", "zj-leader"):
        response = signed_in(make_gql, username).http.get(files["evidence"])
        assert response.status_code == 200, username
        assert response.data == PDF
        assert response.mimetype == "application/pdf"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=UTF-8''" in disposition  # the Chinese name, encoded
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox"
        assert response.headers["ETag"].strip('"') == files["attachment"].sha256


@pytest.mark.parametrize("username", ["qixing-clerk", "sc-office", "gy-office", "ln-office"])
def test_what_a_user_cannot_see_is_not_found(world, files, make_gql, username):
    gql = signed_in(make_gql, username)
    assert gql.http.get(files["evidence"]).status_code == 404
    if username != "qixing-clerk":  # templates are the province's: other provinces' are unseen
        assert gql.http.get(files["excel"]).status_code == 404


def test_downloads_need_a_signed_in_user(world, files, make_gql):
    anonymous = make_gql()
    for url in (files["excel"], files["evidence"]):
        response = anonymous.http.get(url)
        assert response.status_code == 401
        assert response.data == b"sign in first"
    anonymous.http.set_cookie("redline_session", "not-a-session")
    assert anonymous.http.get(files["evidence"]).data == b"your session has ended: sign in again"


def test_an_api_token_works_as_for_graphql(world, files, make_gql):
    clerk = signed_in(make_gql, "xjd-clerk")
    created = clerk.execute(
        'mutation { createApiToken(input: {name: "evidence export"}) { secret } }'
    )["data"]["createApiToken"]
    script = make_gql()
    headers = {"Authorization": f"Bearer {created['secret']}"}
    assert script.http.get(files["evidence"], headers=headers).data == PDF
    assert script.http.get(files["excel"], headers=headers).status_code == 200
    wrong = script.http.get(files["evidence"], headers={"Authorization": "Bearer rl_nope"})
    assert wrong.status_code == 401


def test_malformed_or_mistyped_ids_are_not_found(world, files, make_gql):
    gql = signed_in(make_gql, "zj-office")
    attachment_id = files["attachment"].id
    template_id = files["template"].id
    for url in (
        "/files/evidence/not-base64!",
        f"/files/evidence/{gid('Template', template_id)}",  # a template is no attachment
        f"/files/templates/{gid('Attachment', attachment_id)}.xlsx",
        f"/files/evidence/{gid('Attachment', attachment_id + 1000)}",
        "/files/templates/VGVtcGxhdGU6eA==.xlsx",  # "Template:x"
    ):
        assert gql.http.get(url).status_code == 404, url


def test_a_row_whose_file_is_gone_is_not_found(world, files, store, make_gql):
    store.delete(files["attachment"].sha256)
    assert world.get(Attachment, files["attachment"].id) is not None
    assert signed_in(make_gql, "xjd-clerk").http.get(files["evidence"]).status_code == 404
