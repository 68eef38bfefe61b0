"""The demo's evidence files, named in the tables' ``files`` column and made from what they are
evidence of: a site photo, a major hazard's acceptance report, a task's work summary."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Mapping

from redline.demo.tables import Row
from scoring.ledgers.history import EvidenceFile


def _png() -> bytes:
    """A one-pixel PNG: the demo's stand-in for a site photo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


SITE_PHOTO = _png()

# A file name -> its content type and how its content is written from the facts of its subject
# (a hazard: title, place; a task element: title, unit, day).
FILES: dict[str, tuple[str, Callable[[Mapping[str, object]], bytes]]] = {
    "整改后现场照片.png": ("image/png", lambda _: SITE_PHOTO),
    "整改验收报告.txt": (
        "text/plain",
        lambda facts: (
            f"重大事故隐患整改验收报告\n隐患：{facts['title']}\n地点：{facts['place']}\n".encode()
        ),
    ),
    "工作总结.txt": (
        "text/plain",
        lambda facts: (
            f"{facts['title']}\n责任单位：{facts['unit']}\n完成日期：{facts['day']}\n".encode()
        ),
    ),
}


def evidence(row: Row, column: str, **facts: object) -> list[EvidenceFile]:
    """The files the cell names, written from ``facts``."""
    files = []
    for name in row.words(column):
        if name not in FILES:
            raise row.fail(column, f"no demo file {name!r}: use {', '.join(FILES)}")
        content_type, write = FILES[name]
        try:
            content = write(facts)
        except KeyError as missing:
            raise row.fail(column, f"{name} is not evidence for this row ({missing})") from None
        files.append(EvidenceFile(name, content_type, content))
    return files
