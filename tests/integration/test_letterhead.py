"""A province's letterhead as the service keeps it: versions in order, the logo stored by its
checksum and printed inline, a removed logo, the demo's letterhead; and what a report prints."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from redline.demo.letterheads import ISSUER, load_demo_letterheads, seal
from redline.errors import DomainError
from scoring.reports import letterhead as letterheads
from tenants.access import load_actor
from tests.factories.tenants import node, user


def _office(world):
    return load_actor(world, user(world, "zj-office"))


def test_the_demo_s_letterhead_is_version_one_with_its_seal(world, settings, store):
    saved = load_demo_letterheads(world, settings)
    assert (saved.version, saved.issuer, saved.logo_type) == (1, ISSUER, "image/png")
    with store.open(saved.sha256) as file, Image.open(file) as image:
        assert image.format == "PNG" and image.size == (240, 240)
    printed = letterheads.printed(letterheads.current(world, saved.customer_id), store)
    assert printed is not None and printed.logo_uri.startswith("data:image/png;base64,")
    # Sichuan prints the default.
    assert letterheads.current(world, node(world, "510000").customer_id) is None


def test_each_save_is_the_next_version_and_the_logo_is_kept_until_removed(world, store):
    office = _office(world)

    def save(expected: int, **changes) -> letterheads.Letterhead:
        values = {"issuer": "浙江省安委办", "footer": "", "wording": [], "store": store}
        saved = letterheads.save_letterhead(
            world, office, expected_version=expected, **{**values, **changes}
        )
        world.commit()
        return saved

    first = save(0, logo=seal())
    second = save(1, issuer="浙江省安全生产委员会办公室")
    assert second.sha256 == first.sha256 and second.logo_type == "image/png"
    third = save(2, keep_logo=False)
    assert third.sha256 is None and third.logo_type is None
    assert letterheads.printed(third, store).logo_uri is None
    assert [v.version for v in letterheads.versions(world, office.customer_id)] == [3, 2, 1]
    with pytest.raises(DomainError) as stale:
        save(1)
    assert [(p.field, p.code.name) for p in stale.value.problems] == [
        ("expectedVersion", "CONFLICT")
    ]


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (b"GIF89a not really", "is not a PNG or JPEG image"),
        ("gif", "is a GIF image; a PNG or JPEG is needed"),
        ("huge", "at most 4000 on either side"),
        (b"\x89PNG" + b"0" * (600 * 1024), "at most 524,288"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(image, message):
    if image == "gif":
        out = io.BytesIO()
        Image.new("RGB", (10, 10)).save(out, format="GIF")
        image = out.getvalue()
    elif image == "huge":
        out = io.BytesIO()
        Image.new("1", (4100, 10)).save(out, format="PNG")
        image = out.getvalue()
    with pytest.raises(DomainError) as refused:
        letterheads.logo_type_of(image)
    assert refused.value.problems[0].field == "logo"
    assert message in refused.value.problems[0].message
