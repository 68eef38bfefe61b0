"""Reading a printed report: its text layer (squeezed, or line by line as laid out) and its
pages as images under tests/output/reports/ (git-ignored) for a person to look at."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "output" / "reports"
PNG = b"\x89PNG\r\n\x1a\n"


def pdf_text(pdf: bytes) -> str:
    """The PDF's text layer with every space and line break taken out (cells wrap anywhere)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode("utf-8"))


def pdf_lines(pdf: bytes) -> list[str]:
    """The text layer line by line as laid out (a table row's first line is one line), spaces
    taken out."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return [re.sub(r"\s+", "", line) for line in done.stdout.decode("utf-8").splitlines()]


def page_image(pdf: bytes, name: str, page: int = 1) -> Path:
    """One page as a PNG at 60 dpi: tests/output/reports/<name>.png."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    stem = OUTPUT / name
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run(["pdftoppm", "-png", "-r", "60", *pages, "-", str(stem)], input=pdf, check=True)
    png = stem.with_suffix(".png")
    assert png.read_bytes()[:8] == PNG
    return png
