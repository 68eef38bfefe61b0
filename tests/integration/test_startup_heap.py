"""A served process keeps what it holds once built out of the cyclic collector's full
collections (``redline.app.freeze_startup_heap``): they walked it again and again."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_api_process_freezes_its_heap_once_built(tmp_path, redis_test_url):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'redline.db'}",
        "REDIS_URL": redis_test_url,
        "REDLINE_ATTACHMENT_DIR": str(tmp_path / "attachments"),
    }
    code = "import gc, redline.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    # Modules, mappers and the schema: a quarter of a million objects; none before.
    assert int(result.stdout.split()[-1]) > 100_000
