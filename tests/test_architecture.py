"""The dependency direction of ARCHITECTURE.md, and the layout rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_platform_is_not_a_python_package():
    """A package named platform would shadow the standard library's module."""
    assert not (REPO / "platform" / "__init__.py").exists()
    import platform

    assert hasattr(platform, "python_version")


def test_every_module_says_what_it_is_for():
    missing = []
    for package in ("redline", "tenants", "scoring", "graphql_schema"):
        for path in (REPO / package).rglob("*.py"):
            if "versions" in path.parts:
                continue
            source = path.read_text(encoding="utf-8").lstrip()
            if path.stat().st_size and not source.startswith('"""'):
                missing.append(str(path.relative_to(REPO)))
    assert missing == []
