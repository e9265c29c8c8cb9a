"""A file attached to a message is read like the message's information: about its person, under its category and
derived from it, so a program's attachment is Part 2 and a revoked consent closes it with the message."""

import pytest
from django.urls import reverse

from familybridge.agencies.roles import Purpose
from familybridge.consent import services as consent_services
from familybridge.consent.categories import Category
from familybridge.documents.models import Document
from familybridge.messaging import services
from tests.conftest import sign_in
from tests.documents.conftest import upload
from tests.lists import page_queries

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture
def progress(agencies, family, worker, counselor, consent_terms):
    """The counselor's progress note to child welfare, under the mother's consent."""
    consent = consent_services.record_consent(consent_terms(categories=["sud.progress"], recipients=[agencies["cw"]]))
    message = services.send_message(
        counselor,
        family=family,
        about=family.people["mom"],
        category=Category.SUD_PROGRESS,
        recipient_agencies=[agencies["cw"]],
        subject_line="Progress",
        body="Attending every group; results attached.",
    )
    return message, consent


def attach(client, message, title="Toxicology results"):
    return client.post(
        reverse("messaging:attach", args=[message.pk]),
        {"uploaded_file": upload("results.pdf"), "kind": "lab_report", "title": title},
    )


def test_the_sender_attaches_a_file_the_reader_opens_until_the_consent_is_revoked(
    client, agencies, family, worker, counselor, progress
):
    message, consent = progress
    sign_in(client, counselor)
    response = attach(client, message)
    assert response.status_code == 302 and response.url == reverse("messaging:thread", args=[message.pk])
    document = Document.unrestricted.get()
    # About the message's person, under its category, derived from it: the program's information, Part 2.
    assert (document.subject, document.category, document.owner_agency) == (
        family.people["mom"],
        Category.SUD_PROGRESS,
        agencies["sud"],
    )
    assert document.source_record == f"messaging.message:{message.pk}"

    sign_in(client, worker)
    thread = client.get(reverse("messaging:thread", args=[message.pk])).content.decode()
    assert "Toxicology results" in thread and "Attach a file" not in thread  # only the sender attaches
    download = reverse("documents:download", args=[document.pk]) + f"?purpose={Purpose.CASE_PLANNING}"
    assert client.get(download).status_code == 200

    consent_services.revoke_consent(consent, by=counselor)
    assert client.get(download).status_code == 404
    assert client.get(reverse("messaging:thread", args=[message.pk])).status_code == 404


def test_only_the_sender_may_attach_and_a_bad_file_is_refused_with_nothing_stored(
    client, agencies, family, worker, counselor, progress
):
    message, _ = progress
    sign_in(client, worker)
    assert attach(client, message).status_code == 403
    sign_in(client, counselor)
    refused = client.post(
        reverse("messaging:attach", args=[message.pk]),
        {
            "uploaded_file": upload("script.pdf", b"#!/bin/sh\necho hi\x00", "application/pdf"),
            "kind": "other",
            "title": "x",
        },
    )
    assert refused.status_code == 200 and not Document.unrestricted.exists()
    assert "PDF" in refused.content.decode()


def test_the_thread_costs_the_same_for_one_or_four_attachments(client, agencies, family, worker, counselor, progress):
    message, _ = progress
    sign_in(client, counselor)
    attach(client, message, "First")
    sign_in(client, worker)
    url = reverse("messaging:thread", args=[message.pk])
    page_queries(client, url)
    few = page_queries(client, url)
    sign_in(client, counselor)
    for title in ("Second", "Third", "Fourth"):
        attach(client, message, title)
    sign_in(client, worker)
    assert page_queries(client, url) == few
    assert "Fourth" in client.get(url).content.decode()
