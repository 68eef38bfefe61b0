"""The one safe way to open an uploaded .xlsx workbook and read its rows (the exports are
written by :mod:`redline.workbook_writer`).

An .xlsx file is a zip of XML parts, and both layers can be made to explode: a 210 KB upload
holding one 200 MB cell, a part declaring entities that expand to gigabytes, a sheet claiming
to span A1:XFD1048576. :func:`open_workbook` looks at the zip before openpyxl parses anything
(how many parts, what they unpack to, how hard they are squeezed, whether any declares a DTD,
how many XML tags there are), then opens the workbook read-only. :func:`sheet_rows` reads a
sheet's rows with their numbers, refusing a cell longer than Excel allows, a sheet wider or
longer than any real one, and turning the parse errors openpyxl raises lazily into a refusal.

Every refusal is a :class:`WorkbookRefused` naming the upload's field, the reason and the
figure; the readers turn it into their own ``DomainError`` (the kernel does not import
``tenants``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

MB = 2**20
EXCEL_ROWS = 1_048_576  # the last row of an Excel sheet; openpyxl reads any number
# The bytes of a part's markup that start a document type declaration: in UTF-8 (and every
# ASCII-compatible encoding) and in both byte orders of UTF-16, the encodings XML parsers read.
DTD_MARKS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("ascii", "utf-16-le", "utf-16-be"))
SCAN_CHUNK = MB


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may hold before it is read. The defaults sit well above the largest
    workbook a service accepts (a 2,000-item template unpacks to 2 MB with 200,000 tags, a
    5,000-element action plan to 2.5 MB with 240,000) and well below what hurts a server."""

    # The sum of what the parts unpack to: bounds the decompression work and the text kept.
    unpacked_bytes: int = 50 * MB
    # One part (a sheet, the shared strings): openpyxl parses some parts whole.
    part_bytes: int = 20 * MB
    parts: int = 1_000
    # Real parts deflate 2-20 times; a zip bomb about 1,000 times.
    ratio: int = 100
    ratio_from_bytes: int = MB  # smaller parts are harmless whatever their ratio
    # openpyxl's XML parse keeps up to ~400 bytes per element it has not cleared (measured:
    # 18 MB of tiny tags in styles.xml took 449 MB), so the tags are counted, not only bytes.
    tags: int = 600_000
    # Excel's own limit on a cell's text.
    cell_characters: int = 32_767
    # Per sheet, each row counted up to its last cell: a cell at XFD makes a 16,384-wide row.
    cells: int = 1_000_000


LIMITS = WorkbookLimits()

Code = Literal["too_large", "invalid"]  # the values of tenants.errors.ErrorCode they become


class WorkbookRefused(Exception):
    """An upload that cannot be read safely: the field it came in, why, and a code
    (``too_large`` or ``invalid``, as ``tenants.errors.ErrorCode`` spells them); ``cell``
    ("Items!M5") when one cell is to blame."""

    def __init__(self, field: str, message: str, code: Code, cell: str | None = None) -> None:
        self.field = field
        self.message = message
        self.code = code
        self.cell = cell
        super().__init__(f"{cell or field}: {message}")


def open_workbook(data: bytes, *, field: str = "file", limits: WorkbookLimits = LIMITS) -> Workbook:
    """The workbook in ``data``, opened read-only with cached values instead of formulas;
    WorkbookRefused if it is not one or holds more than ``limits`` allow. Read its sheets
    with :func:`sheet_rows` and close it when done."""
    archive = _archive(data, field, limits)
    with archive:
        _check_sizes(archive, field, limits)
        _scan(archive, field, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except MemoryError:
        raise
    except Exception as error:
        # Whatever the malformed XML makes openpyxl raise (ParseError, KeyError for a missing
        # part, TypeError from its attribute checks, ...) is the file's fault, not ours.
        raise WorkbookRefused(
            field, f"not an .xlsx workbook ({_reason(error)})", "invalid"
        ) from None
    if not workbook.worksheets:
        workbook.close()
        raise WorkbookRefused(field, "the workbook has no sheet", "invalid")
    return workbook


def sheet_rows(
    sheet: ReadOnlyWorksheet, *, field: str = "file", limits: WorkbookLimits = LIMITS
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The rows of a sheet that hold cells, each with the number Excel shows (blank rows in
    between are skipped); WorkbookRefused for a cell longer than Excel allows, a sheet larger
    than ``limits``, or XML that breaks while it is read."""
    # A sheet declares its own dimension ("A1:XFD1048576" costs a few bytes) and openpyxl pads
    # every row to it; without it a row is as wide as its last cell.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    number = cells = 0
    try:
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except MemoryError:
                raise
            except Exception as error:
                # In read-only mode the sheet's XML is parsed as it is read: a broken tag or a
                # shared-string index past the table surfaces here, not when it is opened.
                raise WorkbookRefused(
                    field,
                    f"not an .xlsx workbook (sheet {sheet.title}, row {number + 1} or below: "
                    f"{_reason(error)})",
                    "invalid",
                ) from None
            number += 1
            if number > EXCEL_ROWS:
                raise WorkbookRefused(
                    field,
                    f"sheet {sheet.title} goes on past row {EXCEL_ROWS:,}, the last row of an "
                    "Excel sheet",
                    "invalid",
                )
            if not values:
                continue
            cells += len(values)
            if cells > limits.cells:
                raise WorkbookRefused(
                    field,
                    f"sheet {sheet.title} holds more than {limits.cells:,} cells by row "
                    f"{number} (each row counted up to its last cell); at most {limits.cells:,}",
                    "too_large",
                )
            for column, value in enumerate(values, start=1):
                if isinstance(value, str) and len(value) > limits.cell_characters:
                    cell = f"{sheet.title}!{get_column_letter(column)}{number}"
                    raise WorkbookRefused(
                        field,
                        f"cell {cell} holds {len(value):,} characters; a cell holds at most "
                        f"{limits.cell_characters:,}",
                        "too_large",
                        cell,
                    )
            yield number, values
    finally:
        rows.close()


def _archive(data: bytes, field: str, limits: WorkbookLimits) -> zipfile.ZipFile:
    """The zip, once its table of contents is known to be of a sane size."""
    directory = _directory_bytes(data)
    # zipfile reads the whole table of contents into objects before it can be counted: a 10 MB
    # upload of empty parts costs ~70 MB that way. A real entry takes well under 1 KB.
    if directory is not None and directory > limits.parts * 1024:
        raise WorkbookRefused(
            field,
            f"the workbook's list of parts takes {_megabytes(directory)}: far more than "
            f"{limits.parts:,} parts",
            "too_large",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise WorkbookRefused(
            field, "not an .xlsx workbook (not a zip archive)", "invalid"
        ) from None
    count = len(archive.infolist())
    if count > limits.parts:
        archive.close()
        raise WorkbookRefused(
            field, f"the workbook has {count:,} parts; at most {limits.parts:,}", "too_large"
        )
    return archive


def _directory_bytes(data: bytes) -> int | None:
    """The size of the zip's central directory, from its end record; None if there is none."""
    start, end = max(0, len(data) - 22 - 65_535), len(data)
    while (at := data.rfind(b"PK\x05\x06", start, end)) >= 0:
        # The end record is 22 bytes, then a comment of the length it gives ends the file (a
        # comment may itself hold the signature).
        comment = int.from_bytes(data[at + 20 : at + 22], "little")
        if at + 22 + comment == len(data):
            return int.from_bytes(data[at + 12 : at + 16], "little")
        end = at
    return None


def _check_sizes(archive: zipfile.ZipFile, field: str, limits: WorkbookLimits) -> None:
    """Refuse before unpacking: the sizes are the zip's own, and zipfile stops reading a part
    at the size it declares (and fails its checksum) whatever the compressed data holds."""
    parts = archive.infolist()
    total = sum(part.file_size for part in parts)
    if total > limits.unpacked_bytes:
        raise WorkbookRefused(
            field,
            f"the workbook unpacks to {_megabytes(total)}; "
            f"at most {_megabytes(limits.unpacked_bytes)}",
            "too_large",
        )
    for part in parts:
        if part.file_size > limits.part_bytes:
            raise WorkbookRefused(
                field,
                f"{part.filename} unpacks to {_megabytes(part.file_size)}; a part may unpack to "
                f"at most {_megabytes(limits.part_bytes)}",
                "too_large",
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size >= limits.ratio_from_bytes and ratio > limits.ratio:
            raise WorkbookRefused(
                field,
                f"{part.filename} unpacks to {ratio:,.0f} times its packed size; real workbooks "
                f"stay below {limits.ratio:,} times",
                "too_large",
            )


def _scan(archive: zipfile.ZipFile, field: str, limits: WorkbookLimits) -> None:
    """Unpack every part once, in chunks, before openpyxl parses any: refuse a damaged part, a
    document type declaration (the only way to declare entities, which expand into a bomb;
    no .xlsx part needs one), and more XML tags than ``limits`` allow."""
    tags = 0
    overlap = max(len(mark) for mark in DTD_MARKS) - 1
    for part in archive.infolist():
        tail = b""
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(SCAN_CHUNK):
                    window = tail + chunk
                    # Any part, whatever its name: openpyxl parses what the relations point at.
                    if any(mark in window for mark in DTD_MARKS):
                        raise WorkbookRefused(
                            field,
                            f"not an .xlsx workbook ({part.filename} declares a document type, "
                            "which no workbook part does)",
                            "invalid",
                        )
                    tags += chunk.count(b"<")
                    if tags > limits.tags:
                        raise WorkbookRefused(
                            field,
                            f"the workbook holds more than {limits.tags:,} XML tags (by "
                            f"{part.filename}); at most {limits.tags:,}",
                            "too_large",
                        )
                    tail = window[-overlap:]
        except WorkbookRefused:
            raise
        except MemoryError:
            raise
        except Exception as error:
            # A bad checksum, a truncated or encrypted part, an unknown compression method.
            raise WorkbookRefused(
                field,
                f"not an .xlsx workbook ({part.filename} is damaged: {_reason(error)})",
                "invalid",
            ) from None


def _reason(error: BaseException) -> str:
    """An error's own words, short enough for a message (its class name if it has none)."""
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 200 else f"{text[:200]}..."


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size < 10 * MB else f"{size / MB:,.0f} MB"
