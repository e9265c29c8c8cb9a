"""Documents on the Rivera family, stored in a temporary folder for each test."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from familybridge.agencies.roles import Purpose
from familybridge.consent import services as consent_services
from familybridge.demo.documents import minimal_pdf
from familybridge.documents import services

PDF_BYTES = minimal_pdf(["Order of adjudication", "The child remains in care."])


def upload(name: str = "order.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every file a test stores lands in its own folder, and the test can see what is left there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def store():
    def do(user, family, **changes):
        values = {
            "uploaded_file": upload(),
            "family": family,
            "subject": family.people["kid"],
            "kind": "court_order",
            "title": "Order of adjudication",
        }
        return services.store_document(user, **(values | changes))

    return do


@pytest.fixture
def court_order_agreement(agencies):
    """The court shares its orders (court.order) with child welfare for case planning."""
    return consent_services.record_agreement(
        name="Court orders to child welfare",
        parties=[agencies["cw"], agencies["court"]],
        categories=["court.order"],
        purposes=[Purpose.CASE_PLANNING, Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )


@pytest.fixture
def court_knows_the_family(agencies, coordinator):
    """Child welfare and the court share the child welfare case (cw.case, which holds the family's membership), as in
    the demo: the court's staff know the family's members and may upload about them."""
    return consent_services.record_agreement(
        name="Case file to the court",
        parties=[agencies["cw"], agencies["court"]],
        categories=["cw.case"],
        purposes=[Purpose.COURT_MONITORING],
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
