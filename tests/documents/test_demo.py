"""The demo shows the documents flow: the court's order in a family treatment court case, which child welfare reads
under the court's agreement, and a counselor's copy of her client's signed consent form, which is Part 2."""

from django.core.management import call_command
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.agencies.roles import Purpose
from familybridge.demo.documents import load_documents
from familybridge.documents import selectors
from familybridge.documents.models import Document


def test_the_demo_attaches_a_court_order_and_a_signed_consent_form_once(db, media_root):
    call_command("demo", no_serve=True)
    order = Document.unrestricted.get(kind="court_order")
    consent_form = Document.unrestricted.get(kind="consent_form")
    assert (order.recorded_by.username, order.category) == ("carl.fischer", "court.order")
    assert (consent_form.recorded_by.username, consent_form.category) == ("rosa.nguyen", "sud.enrollment")
    assert order.file.read().startswith(b"%PDF-1.4") and consent_form.content_type == "application/pdf"
    # The family's caseworker reads the court's order under the court's agreement.
    caseworkers = User.objects.filter(assignments__family=order.family, assignments__ended_on=None)
    readers = [u for u in caseworkers if selectors.document_for(u, order.pk, Purpose.CASE_PLANNING) is not None]
    assert readers
    load_documents(
        User.objects.get(username="rosa.nguyen"), User.objects.get(username="carl.fischer"), timezone.localdate()
    )
    assert Document.unrestricted.filter(kind__in=["court_order", "consent_form"]).count() == 2
