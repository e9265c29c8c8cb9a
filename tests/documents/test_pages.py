"""The pages: uploading from the family page, the family's "Documents" section, a document's page with its download,
voiding an upload entered in error; each read through the policy point, and the section's queries the same for few and
many documents."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from familybridge.audit.models import AuditEvent
from familybridge.consent import services as consent_services
from familybridge.consent.models import Disclosure
from familybridge.documents.models import Document
from tests.conftest import sign_in

from .conftest import PDF_BYTES, stored_files, upload


def family_page(family, purpose: str = "") -> str:
    url = reverse("web:family-detail", args=[family.pk])
    return f"{url}?purpose={purpose}" if purpose else url


def section_of(html: str) -> str:
    return html.split('id="documents-heading"')[1].split("</section>")[0]


def titles_in(html: str) -> list[str]:
    return re.findall(r'<a href="/documents/\d+/[^"]*">([^<]+)</a>', section_of(html))


def test_a_caseworker_uploads_a_case_plan_from_the_family_page(client, worker, family, media_root):
    sign_in(client, worker)
    html = client.get(family_page(family)).content.decode()
    upload_url = reverse("documents:upload", args=[family.pk])
    assert upload_url in section_of(html)
    form = client.get(upload_url).context["form"]
    assert [value for value, _ in form.fields["category"].choices] == [
        "",
        "cw.case",
        "cw.case_plan",
        "cw.placement",
        "cw.allegation",
        "court.order",
    ]
    response = client.post(
        upload_url,
        {
            "uploaded_file": upload("plan.pdf"),
            "subject": family.people["kid"].pk,
            "kind": "case_plan",
            "title": "Case plan, March",
            "category": "",
        },
        follow=True,
    )
    document = Document.unrestricted.get()
    assert response.redirect_chain[-1][0].startswith(reverse("documents:document", args=[document.pk]))
    assert "“Case plan, March” uploaded for Sofia Rivera." in response.content.decode()
    assert (document.category, document.owner_agency, document.recorded_by) == ("cw.case_plan", worker.agency, worker)
    assert titles_in(client.get(family_page(family)).content.decode()) == ["Case plan, March"]


def test_a_refused_upload_says_why_on_the_form(client, worker, family, media_root):
    sign_in(client, worker)
    response = client.post(
        reverse("documents:upload", args=[family.pk]),
        {
            "uploaded_file": upload("notes.pdf", b"MZ\x90\x00" + b"\x00" * 300),
            "subject": family.people["kid"].pk,
            "kind": "other",
            "title": "Notes",
        },
    )
    assert response.status_code == 200
    assert "Upload a PDF, PNG, JPEG or plain text file" in response.content.decode()
    assert stored_files(media_root) == [] and not Document.unrestricted.exists()


def test_the_download_is_an_attachment_nobody_caches_and_a_part2_download_is_accounted_for(
    client, worker, counselor, family, store, consent_terms
):
    consent_services.record_consent(consent_terms(categories=["sud.enrollment"]))
    form = store(counselor, family, subject=family.people["mom"], kind="consent_form", title="Signed consent")
    sign_in(client, worker)
    page = client.get(reverse("documents:document", args=[form.pk])).content.decode()
    assert "42 CFR Part 2 — do not redisclose." in page
    assert reverse("documents:download", args=[form.pk]) in page
    disclosures = Disclosure.objects.count()
    response = client.get(reverse("documents:download", args=[form.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="order.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert Disclosure.objects.count() == disclosures + 1
    assert Disclosure.objects.latest("pk").records == [f"documents.document:{form.pk}"]
    assert AuditEvent.objects.filter(action="download_document", object_id=str(form.pk)).exists()


@pytest.mark.parametrize("page", ["documents:document", "documents:download"])
def test_a_reader_without_a_basis_gets_not_found_and_nothing_is_disclosed(
    client, worker, counselor, family, store, page
):
    form = store(counselor, family, subject=family.people["mom"], kind="consent_form", title="Signed consent")
    sign_in(client, worker)
    assert client.get(reverse(page, args=[form.pk])).status_code == 404
    assert "Signed consent" not in client.get(family_page(family)).content.decode()
    assert not Disclosure.objects.exists()


def test_an_upload_entered_in_error_is_voided_and_leaves_the_list(client, worker, family, store):
    document = store(worker, family, kind="case_plan", title="Case plan (another family's)")
    sign_in(client, worker)
    page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    void_url = reverse("cases:void-record", args=[family.pk, "document", document.pk])
    assert void_url in page
    response = client.post(void_url, {"reason": "Uploaded to the wrong family."}, follow=True)
    assert "Document about Sofia Rivera voided as entered in error." in response.content.decode()
    assert titles_in(client.get(family_page(family)).content.decode()) == []
    assert client.get(reverse("documents:document", args=[document.pk])).status_code == 404
    event = AuditEvent.objects.filter(action="update", object_id=str(document.pk)).latest("pk")
    assert event.details["reason"] == "Uploaded to the wrong family."


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_family_documents_section_reads_in_as_many_queries_for_2_as_for_8_documents(
    client, worker, counselor, family, store, consent_terms
):
    # The mother's consent shows child welfare her program's documents: Part 2 disclosures are written too.
    consent_services.record_consent(consent_terms(categories=["sud.enrollment"]))

    def add(rows: int) -> None:
        for number in range(rows // 2):
            store(worker, family, kind="case_plan", title=f"Plan {number}")
            store(counselor, family, subject=family.people["mom"], kind="consent_form", title=f"Consent {number}")

    sign_in(client, worker)
    counts = []
    for rows in (2, 6):
        add(rows)
        counts.append(count_queries(client, family_page(family)))
    assert len(titles_in(client.get(family_page(family)).content.decode())) == 8
    assert counts[0] == counts[1]


def test_the_attachments_partial_lists_a_records_documents_as_the_viewer_may_see_them(
    rf, worker, coordinator, family, store, court_knows_the_family
):
    """The partial other pages include (a message's or a record's attachments): each document the viewer may see,
    linked to its page, and each withheld one said so with its reason."""
    from django.template import Context, Template

    store(worker, family, kind="case_plan", title="Case plan, March")
    store(coordinator, family, kind="court_order", title="Order after review hearing")
    request = rf.get("/")
    request.user = worker
    html = Template("{% load documents %}{% attachments family purpose %}").render(
        Context({"request": request, "family": family, "purpose": "case_planning", "user": worker})
    )
    assert re.findall(r'<a href="/documents/\d+/\?purpose=case_planning">([^<]+)</a>', html) == ["Case plan, March"]
    assert "<strong>Withheld:</strong> Court order held by Family Court." in html
    assert "Order after review hearing" not in html
