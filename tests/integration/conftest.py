"""Fixtures the service tests share: evidence settings and store, the sample township cycle."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from redline.config import Settings
from scoring.assessments.models import Assessment, Cycle
from scoring.evidence import EvidenceStore, FolderStore
from tests.factories.assessments import assessment_of, open_sample_cycle


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Evidence files in the test's own folder, at most 4 KB each."""
    return Settings(attachment_dir=tmp_path / "evidence", attachment_max_bytes=4096)


@pytest.fixture
def store(settings: Settings) -> EvidenceStore:
    return FolderStore(settings.attachment_dir)


@pytest.fixture
def cycle(world: Session) -> Cycle:
    """A 2026 cycle over Nanhu's townships on the sample template, opened by the system,
    committed."""
    cycle = open_sample_cycle(world)
    world.commit()
    return cycle


@pytest.fixture
def xjd(world: Session, cycle: Cycle) -> Assessment:
    """Xiangjiadang's (330402901) assessment in the cycle."""
    return assessment_of(world, cycle, "330402901")
