"""Evidence files: upload limits, content sniffing, and a content-addressed store outside the DB
(a folder or an S3-compatible bucket)."""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import logging
import os
import re
import tempfile
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from redline.config import Settings
from redline.db import Base
from redline.errors import ErrorCode, Problem
from redline.scanning import scan_problem

log = logging.getLogger(__name__)

SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
FILENAME_MAX = 255
_PENDING_DELETES = "evidence_pending_deletes"


class RefersToEvidence:
    """Mixin of the mapped classes whose rows name a stored file by its ``sha256`` column (an
    entry's attachments, a ledger step's): a file is deleted only when no such row names it."""


def _referring_tables() -> list[type]:
    return [m.class_ for m in Base.registry.mappers if issubclass(m.class_, RefersToEvidence)]


class EvidenceStore(ABC):
    """Files named by their SHA-256 under ``ab/cd/<sha256>``: one copy per content, in a folder
    (:class:`FolderStore`) or an S3-compatible bucket (:class:`BucketStore`); the settings pick
    one (:func:`evidence_store`)."""

    @staticmethod
    def key(sha256: str) -> str:
        """The file's name in the store: ``ab/cd/<sha256>``."""
        if not SHA256_PATTERN.fullmatch(sha256):
            # Checksums come from rows, but never let one become a name outside the store.
            raise ValueError(f"{sha256!r} is not a SHA-256 hex digest")
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    @abstractmethod
    def put(self, data: bytes) -> str:
        """Store ``data`` (once per content) and return its SHA-256 hex digest."""

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """The stored file, opened for reading; FileNotFoundError if it is not stored."""

    @abstractmethod
    def exists(self, sha256: str) -> bool:
        """Whether a file with this checksum is stored."""

    @abstractmethod
    def delete(self, sha256: str) -> None:
        """Remove the stored file if it is there."""


class FolderStore(EvidenceStore):
    """The files in a folder (a shared filesystem when several hosts run the app).

    A file is written to a temporary name in its final directory and renamed into place, so a
    reader never sees half a file and a crash leaves no file under a checksum it does not match.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        """Where the file with this checksum lives (whether or not it exists)."""
        return self.root / self.key(sha256)

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.is_file() and target.stat().st_size == len(data):
            return sha256  # the same bytes are already here
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return sha256

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)


class BucketStore(EvidenceStore):
    """The files in a bucket of an S3-compatible object store (AWS S3, MinIO, Alibaba Cloud OSS,
    Huawei OBS, Tencent COS...) through boto3. An object is written whole or not at all, and
    the store checks the bytes it received against the MD5 sent with them.

    boto3 finds the credentials itself (``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``, an
    instance or pod role); ``endpoint_url`` names a store other than AWS's."""

    def __init__(self, bucket: str, endpoint_url: str | None = None) -> None:
        self.bucket = bucket
        self.client = _s3_client(endpoint_url)

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if self._size(sha256) == len(data):
            return sha256  # the same bytes are already here
        self.client.put_object(
            Bucket=self.bucket,
            Key=self.key(sha256),
            Body=data,
            # Content-MD5, which every S3-compatible store checks (not all know SHA-256's).
            ContentMD5=base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode(
                "ascii"
            ),
        )
        return sha256

    def open(self, sha256: str) -> BinaryIO:
        # Read whole (uploads are at most a few megabytes): a seekable file, as the folder's,
        # for the downloads to send with its length and ranges.
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256))
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(sha256) from None
        with answer["Body"] as body:
            return io.BytesIO(body.read())

    def exists(self, sha256: str) -> bool:
        return self._size(sha256) is not None

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))

    def _size(self, sha256: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return int(head["ContentLength"])


@functools.cache
def _s3_client(endpoint_url: str | None) -> Any:
    """One client per store endpoint and process (boto3's clients are thread-safe, and making
    one costs tens of milliseconds)."""
    try:
        import boto3
    except ImportError:  # pragma: no cover - the extra is part of dev and prod
        raise RuntimeError(
            "REDLINE_ATTACHMENT_BUCKET is set but boto3 is not installed: "
            "pip install 'redline[prod]'"
        ) from None
    from botocore.config import Config

    # Checksums only where S3 requires them: boto3's newer default (a CRC32 on every upload)
    # is refused by several S3-compatible stores.
    config = Config(
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)


def evidence_store(settings: Settings) -> EvidenceStore:
    """The store the settings name: their bucket when one is set, else their folder."""
    if settings.attachment_bucket:
        return BucketStore(settings.attachment_bucket, settings.s3_endpoint_url)
    return FolderStore(settings.attachment_dir)


def delete_after_commit(session: Session, store: EvidenceStore, sha256: str) -> None:
    """Delete the stored file once ``session`` commits, unless a row still references it then.

    Deleting at once would lose the file of a removal that is rolled back afterwards. The check
    runs after the commit in a system session: the scoped session of the request cannot see
    other units' rows, which may share the file.
    """
    session.info.setdefault(_PENDING_DELETES, set()).add((store, sha256))


@event.listens_for(Session, "after_commit")
def _delete_unreferenced(session: Session) -> None:
    pending: set[tuple[EvidenceStore, str]] | None = session.info.pop(_PENDING_DELETES, None)
    if not pending:
        return
    checksums = {sha256 for _, sha256 in pending}
    try:
        with Session(session.get_bind()) as system:
            referenced = {
                sha256
                for table in _referring_tables()
                for sha256 in system.scalars(
                    select(table.sha256).where(table.sha256.in_(checksums)).distinct()
                )
            }
        for store, sha256 in pending:
            if sha256 not in referenced:
                store.delete(sha256)
    except Exception:
        # The rows are committed; an orphaned file is harmless, so never fail the request.
        log.exception("could not delete unreferenced evidence files %s", sorted(checksums))


@event.listens_for(Session, "after_rollback")
def _forget_pending_deletes(session: Session) -> None:
    session.info.pop(_PENDING_DELETES, None)


# --- upload checks ---------------------------------------------------------------------------


def clean_filename(filename: str) -> str:
    """The name as shown and stored: no directories, no control characters, NFC, trimmed."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    return name.strip().strip(".")


def media_type(content_type: str) -> str:
    """The bare media type of a Content-Type ("Text/Plain; charset=utf-8" -> "text/plain")."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _zip_names(data: bytes) -> list[str] | None:
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return None
    try:
        # Reads the central directory only; nothing is decompressed.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None


def _is_zip(data: bytes) -> bool:
    return _zip_names(data) is not None


def _is_office_open_xml(part_folder: str) -> Callable[[bytes], bool]:
    def check(data: bytes) -> bool:
        names = _zip_names(data)
        return (
            names is not None
            and "[Content_Types].xml" in names
            and any(n.startswith(part_folder) for n in names)
        )

    return check


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    # Offices write UTF-8 or, from older Chinese Windows tools, GB18030 (a superset of GBK).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls compound files

# What the first bytes of each accepted type must look like. A declared type missing here
# (an operator may allow more) is accepted without sniffing.
SNIFFERS: dict[str, Callable[[bytes], bool]] = {
    "application/pdf": lambda data: data.startswith(b"%PDF-"),
    "image/png": lambda data: data.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda data: data.startswith(b"\xff\xd8\xff"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        _is_office_open_xml("word/")
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        _is_office_open_xml("xl/")
    ),
    "application/msword": lambda data: data.startswith(OLE2_MAGIC),
    "application/vnd.ms-excel": lambda data: data.startswith(OLE2_MAGIC),
    "application/zip": _is_zip,
    "application/x-zip-compressed": _is_zip,
    "text/plain": _is_text,
}


def check_upload(
    filename: str, content_type: str, data: bytes, settings: Settings
) -> list[Problem]:
    """Every problem with an upload: name, size, declared type, and bytes that contradict it."""
    problems: list[Problem] = []
    name = clean_filename(filename)
    if not name:
        problems.append(Problem("file", "the file has no name", ErrorCode.REQUIRED))
    elif len(name) > FILENAME_MAX:
        problems.append(
            Problem(
                "file", f"the file name is longer than {FILENAME_MAX} characters", ErrorCode.INVALID
            )
        )
    size_ok = False
    if not data:
        problems.append(Problem("file", "the file is empty", ErrorCode.REQUIRED))
    elif len(data) > settings.attachment_max_bytes:
        problems.append(
            Problem(
                "file",
                # Callers may read only one byte past the limit: the size is "over", not exact.
                f"the file is larger than the limit of {settings.attachment_max_bytes} bytes",
                ErrorCode.TOO_LARGE,
            )
        )
    else:
        size_ok = True
    declared = media_type(content_type)
    if declared not in settings.attachment_types:
        problems.append(
            Problem(
                "file",
                f"files of type {declared or '(none)'} are not accepted; accepted types: "
                + ", ".join(settings.attachment_types),
                ErrorCode.INVALID,
            )
        )
    elif size_ok and (sniff := SNIFFERS.get(declared)) is not None and not sniff(data):
        problems.append(
            Problem(
                "file",
                f"the file is declared as {declared} but its content is not of that type",
                ErrorCode.INVALID,
            )
        )
    # The virus scan last: only a file that would otherwise be kept is worth scanning.
    if not problems and (scanned := scan_problem(data, name, "file", settings)):
        problems.append(scanned)
    return problems
