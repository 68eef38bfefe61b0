"""The demo's letterhead: Zhejiang prints its reports on its safety committee office's
letterhead, a red seal drawn here as its logo; Sichuan and Liaoning print Redline's default."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.config import Settings
from redline.db import unit_of_work
from scoring.evidence import evidence_store
from scoring.reports.letterhead import Letterhead, save_letterhead
from tenants.access import load_actor
from tenants.models import User

ISSUER = "浙江省安全生产委员会办公室"
FOOTER = "内部资料 注意保存"
SEAL_RED = (200, 16, 46)


def seal(size: int = 240) -> bytes:
    """A round red seal with a five-pointed star, as PNG."""
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    ring = size // 14
    draw.ellipse((ring, ring, size - ring, size - ring), outline=SEAL_RED, width=ring)
    centre, outer, inner = size / 2, size * 0.26, size * 0.10
    points = [
        (
            centre + (outer if n % 2 == 0 else inner) * math.sin(n * math.pi / 5),
            centre - (outer if n % 2 == 0 else inner) * math.cos(n * math.pi / 5),
        )
        for n in range(10)
    ]
    draw.polygon(points, fill=SEAL_RED)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load_demo_letterheads(session: Session, settings: Settings) -> Letterhead:
    """Zhejiang's letterhead, version 1, saved by its office."""
    office = session.scalars(select(User).where(User.username == "zj-office")).one()
    with unit_of_work(session):
        return save_letterhead(
            session,
            load_actor(session, office),
            expected_version=0,
            issuer=ISSUER,
            footer=FOOTER,
            wording=[],
            note="the committee office's letterhead",
            logo=seal(),
            store=evidence_store(settings),
        )
