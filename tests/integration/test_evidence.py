"""Evidence files: limits, content sniffing, the content-addressed store, and the services that
attach and remove them (both backends)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.config import Settings
from redline.errors import DomainError, ErrorCode
from scoring.assessments.attachments import add_attachment, remove_attachment
from scoring.assessments.audit import history
from scoring.assessments.entries import save_entries, submit
from scoring.assessments.models import Assessment, Attachment, AuditEvent, Entry
from scoring.evidence import EvidenceStore, check_upload
from tests.factories.assessments import assessment_of, full_entries
from tests.factories.checks import count, problems_of
from tests.factories.tenants import actor, scoped_session
from tests.factories.workbooks import workbook_of

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
OLE2_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def zipped(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name.replace("__", "/"), text)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zipped(**{"[Content_Types].xml": "<Types/>", "word__document.xml": "<w:document/>"})


def stored_files(store: EvidenceStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []


# --- the store -------------------------------------------------------------------------------


def test_files_are_named_by_checksum_and_stored_once(store: EvidenceStore):
    sha256 = store.put(PDF_BYTES)
    assert sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    path = store.path(sha256)
    assert path == store.root / sha256[:2] / sha256[2:4] / sha256
    assert path.read_bytes() == PDF_BYTES
    with store.open(sha256) as file:
        assert file.read() == PDF_BYTES
    assert store.put(PDF_BYTES) == sha256
    other = store.put(PNG_BYTES)
    assert stored_files(store) == sorted([path, store.path(other)])  # no temporary files left
    store.delete(other)
    assert not store.exists(other) and store.exists(sha256)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "g" * 64, ""])
def test_a_checksum_never_becomes_another_path(store: EvidenceStore, bad: str):
    with pytest.raises(ValueError, match="SHA-256"):
        store.path(bad)


# --- checks on an upload ---------------------------------------------------------------------

ACCEPTED = [
    ("report.pdf", PDF, PDF_BYTES),
    ("site.png", "image/png", PNG_BYTES),
    ("site.jpg", "image/jpeg", JPEG_BYTES),
    ("plan.docx", DOCX, docx_bytes()),
    ("ledger.xlsx", XLSX, workbook_of(["隐患整改台账"])),
    ("old.doc", "application/msword", OLE2_BYTES),
    ("old.xls", "application/vnd.ms-excel", OLE2_BYTES),
    ("minutes.txt", "text/plain; charset=utf-8", "会议纪要 minutes".encode()),
    ("minutes-gbk.txt", "text/plain", "会议纪要".encode("gb18030")),
    ("photos.zip", "application/zip", zipped(a__b="x")),
    ("photos.zip", "application/x-zip-compressed", zipped(a="x")),
]


# Ids from the names only: the zipped files carry the moment they were built, which may differ
# between the two test processes' collections.
@pytest.mark.parametrize(
    ("filename", "content_type", "data"), ACCEPTED, ids=[f"{f} {t}" for f, t, _ in ACCEPTED]
)
def test_accepted_files(filename: str, content_type: str, data: bytes):
    assert check_upload(filename, content_type, data, Settings(attachment_max_bytes=10**6)) == []


REFUSED = [
    # declared type not allowed at all
    ("page.html", "text/html", b"<html></html>", ErrorCode.INVALID),
    ("run.exe", "application/octet-stream", b"MZ\x90\x00", ErrorCode.INVALID),
    # the bytes contradict the declared type
    ("report.pdf", PDF, PNG_BYTES, ErrorCode.INVALID),
    ("site.png", "image/png", JPEG_BYTES, ErrorCode.INVALID),
    ("site.jpg", "image/jpeg", PDF_BYTES, ErrorCode.INVALID),
    ("plan.docx", DOCX, zipped(a="not a word document"), ErrorCode.INVALID),
    ("ledger.xlsx", XLSX, docx_bytes(), ErrorCode.INVALID),
    ("plan.docx", DOCX, b"PK\x03\x04 but no archive", ErrorCode.INVALID),
    ("old.doc", "application/msword", PDF_BYTES, ErrorCode.INVALID),
    ("notes.txt", "text/plain", b"\x7fELF\x02\x01\x01\x00\x00", ErrorCode.INVALID),
    ("photos.zip", "application/zip", PDF_BYTES, ErrorCode.INVALID),
    # size
    ("empty.pdf", PDF, b"", ErrorCode.REQUIRED),
    ("big.pdf", PDF, b"%PDF-" + bytes(5000), ErrorCode.TOO_LARGE),
    # name
    ("", PDF, PDF_BYTES, ErrorCode.REQUIRED),
    ("x" * 300 + ".pdf", PDF, PDF_BYTES, ErrorCode.INVALID),
]


@pytest.mark.parametrize(
    ("filename", "content_type", "data", "code"),
    REFUSED,
    ids=[f"{n} {f[:20]} {t}" for n, (f, t, _, _) in enumerate(REFUSED)],
)
def test_refused_files(settings: Settings, filename, content_type, data, code):
    assert [(p.field, p.code) for p in check_upload(filename, content_type, data, settings)] == [
        ("file", code)
    ]


def test_a_large_file_of_a_wrong_type_hears_of_both(settings: Settings):
    problems = check_upload("x.html", "text/html", bytes(5000), settings)
    assert [p.code for p in problems] == [ErrorCode.TOO_LARGE, ErrorCode.INVALID]
    assert "limit of 4096 bytes" in problems[0].message


# --- attaching and removing ------------------------------------------------------------------


def attach(session, who, assessment, code="1.2", *, store, settings, data=PDF_BYTES, **kw):
    values = {"filename": "minutes.pdf", "content_type": PDF, "data": data} | kw
    return add_attachment(
        session,
        actor(session, who),
        assessment,
        code,
        store=store,
        settings=settings,
        **values,
    )


def nothing_saved(session: Session, store: EvidenceStore) -> tuple[int, int, int, list[Path]]:
    session.rollback()
    return (
        count(session, Attachment),
        count(session, Entry),
        count(session, AuditEvent),
        (stored_files(store)),
    )


def test_attaching_stores_the_file_and_records_it(world, xjd, store, settings):
    clerk = actor(world, "xjd-clerk")
    attachment = attach(
        world, "xjd-clerk", xjd, filename="C:\\scans\\会议纪要.pdf", store=store, settings=settings
    )
    world.commit()
    sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
    assert (attachment.filename, attachment.content_type, attachment.size, attachment.sha256) == (
        "会议纪要.pdf",
        PDF,
        len(PDF_BYTES),
        sha256,
    )
    assert attachment.uploaded_by_id == clerk.user_id and attachment.node_id == xjd.node_id
    assert store.path(sha256).read_bytes() == PDF_BYTES
    [event] = history(world, xjd)
    assert (event.action, event.item_code, event.field, event.old) == (
        "attachment",
        "1.2",
        "file",
        None,
    )
    assert sha256 in (event.new or "") and event.actor_id == clerk.user_id
    assert xjd.version == 1  # evidence does not change the scores or anyone's edit


def test_refused_uploads_save_nothing(world, xjd, store, settings):
    before = nothing_saved(world, store)
    cases = [
        ({"data": b"%PDF-" + bytes(5000)}, [("file", ErrorCode.TOO_LARGE)]),
        ({"content_type": "text/html", "data": b"<p>"}, [("file", ErrorCode.INVALID)]),
        ({"data": PNG_BYTES}, [("file", ErrorCode.INVALID)]),  # declared PDF, is a PNG
        ({"code": "9.9"}, [("itemCode", ErrorCode.NOT_FOUND)]),
        (
            {"code": "1", "data": PNG_BYTES},
            [("itemCode", ErrorCode.INVALID), ("file", ErrorCode.INVALID)],
        ),
    ]
    for changes, expected in cases:
        with pytest.raises(DomainError) as error:
            attach(world, "xjd-clerk", xjd, store=store, settings=settings, **changes)
        assert problems_of(error) == expected
    assert nothing_saved(world, store) == before


def test_only_the_unit_attaches_and_only_while_it_may_edit(world, xjd, store, settings):
    with pytest.raises(DomainError) as error:
        attach(world, "qixing-clerk", xjd, store=store, settings=settings)
    assert problems_of(error) == [("assessmentId", ErrorCode.PERMISSION_DENIED)]
    clerk = actor(world, "xjd-clerk")
    attachment = attach(world, "xjd-clerk", xjd, store=store, settings=settings)
    save_entries(world, clerk, xjd, full_entries(), expected_version=1)
    submit(world, clerk, xjd, expected_version=xjd.version)
    world.commit()
    with pytest.raises(DomainError) as error:
        attach(world, "xjd-clerk", xjd, data=PDF_BYTES + b"2", store=store, settings=settings)
    assert problems_of(error) == [("assessmentId", ErrorCode.INVALID_STATE)]
    with pytest.raises(DomainError) as error:
        remove_attachment(world, clerk, attachment, store=store)
    assert problems_of(error) == [("attachmentId", ErrorCode.INVALID_STATE)]


def test_the_same_bytes_are_stored_once_and_kept_while_referenced(world, xjd, store, settings):
    clerk = actor(world, "xjd-clerk")
    first = attach(world, "xjd-clerk", xjd, "1.1", store=store, settings=settings)
    second = attach(world, "xjd-clerk", xjd, "1.2", store=store, settings=settings)
    world.commit()
    assert first.sha256 == second.sha256 and first.id != second.id
    [path] = stored_files(store)

    remove_attachment(world, clerk, first, store=store)
    world.rollback()  # a removal rolled back keeps both row and file
    assert path.exists() and count(world, Attachment) == 2

    remove_attachment(world, clerk, first, store=store)
    world.commit()
    assert path.exists()  # the other row still needs it
    remove_attachment(world, clerk, second, store=store)
    assert path.exists()  # not before the commit
    world.commit()
    assert not path.exists() and count(world, Attachment) == 0
    removals = [e for e in history(world, xjd, limit=500) if e.old and e.action == "attachment"]
    assert [e.item_code for e in removals] == ["1.1", "1.2"]


def test_a_file_another_unit_shares_survives_removal_out_of_its_sight(
    sessions, world, cycle, xjd, store, settings
):
    """Qixing uploads the same bytes; Xiangjiadang's scoped session cannot see Qixing's row,
    but the file must stay."""
    qixing = assessment_of(world, cycle, "330402015")
    attach(world, "qixing-clerk", qixing, store=store, settings=settings)
    world.commit()
    clerk = actor(world, "xjd-clerk")
    with scoped_session(sessions, clerk) as session:
        mine = session.get_one(Assessment, xjd.id)
        attachment = add_attachment(
            session,
            clerk,
            mine,
            "1.2",
            filename="m.pdf",
            content_type=PDF,
            data=PDF_BYTES,
            store=store,
            settings=settings,
        )
        session.commit()
        assert session.scalars(select(Attachment.id)).all() == [attachment.id]
        remove_attachment(session, clerk, attachment, store=store)
        session.commit()
    assert store.exists(hashlib.sha256(PDF_BYTES).hexdigest())
