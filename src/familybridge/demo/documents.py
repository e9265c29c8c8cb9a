"""Documents in the demo, uploaded through the service staff use: the court coordinator's order in a family treatment
court case (shared with child welfare under the court's agreement) and a counselor's copy of her client's signed
consent form (Part 2: only a consent opens it outside the program). Loading again adds none."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from familybridge.agencies.models import User
from familybridge.cases.models import CourtCase
from familybridge.dates import us_date
from familybridge.documents import services
from familybridge.documents.models import Document, DocumentKind
from familybridge.people.models import CaseloadAssignment, FamilyMember, LocalIdentifier, MemberRole


def _pdf_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing the lines in Helvetica: small and valid, with no PDF library needed."""
    text = " ".join(f"({_pdf_text(line)}) Tj 0 -22 Td" for line in lines)
    content = f"BT /F1 14 Tf 72 720 Td {text} ET".encode("latin-1", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def _court_order(coordinator: User, today: date) -> None:
    case = (
        CourtCase.unrestricted.filter(owner_agency=coordinator.agency, is_family_treatment_court=True)
        .exclude(family=None)
        .select_related("family", "subject")
        .order_by("docket_number")
        .first()
    )
    if case is None:
        return
    lines = [
        f"{coordinator.agency.name}",
        f"Case {case.docket_number}: in the interest of {case.subject}",
        "ORDER AFTER REVIEW HEARING",
        f"Entered {us_date(today)}.",
        "The child remains in the care of the agency. The parent continues in family treatment court, phase 2.",
        "Family time is expanded to unsupervised day visits. Next review hearing in 60 days.",
    ]
    services.store_document(
        coordinator,
        uploaded_file=SimpleUploadedFile("order-after-review.pdf", minimal_pdf(lines), "application/pdf"),
        family=case.family,
        subject=case.subject,
        kind=DocumentKind.COURT_ORDER,
        title=f"Order after review hearing, {us_date(today)}",
    )


def _consent_form(counselor: User) -> None:
    """A client of the counselor, in a family, whom the program knows by its own number."""
    known = LocalIdentifier.unrestricted.filter(owner_agency=counselor.agency).values("subject_id")
    parents = FamilyMember.unrestricted.filter(role=MemberRole.PARENT).values("subject_id")
    assignment = (
        CaseloadAssignment.objects.filter(staff=counselor, ended_on=None, client__in=known)
        .filter(client__in=parents)
        .exclude(family=None)
        .select_related("family", "client")
        .order_by("pk")
        .first()
    )
    if assignment is None:
        return
    client = assignment.client
    lines = [
        "CONSENT FOR THE RELEASE OF CONFIDENTIAL SUBSTANCE USE DISORDER INFORMATION (42 CFR Part 2)",
        f"I, {client}, authorize {counselor.agency.name} to disclose my enrollment, attendance and progress",
        "to the family court and the child welfare agency, to monitor my treatment and plan my case.",
        "I may revoke this consent at any time, except to the extent it has already been acted on.",
        f"Signed: {client}",
    ]
    services.store_document(
        counselor,
        uploaded_file=SimpleUploadedFile("signed-consent.pdf", minimal_pdf(lines), "application/pdf"),
        family=assignment.family,
        subject=client,
        kind=DocumentKind.CONSENT_FORM,
        title=f"Signed consent to share treatment progress — {client}",
    )


def load_documents(counselor: User, coordinator: User, today: date) -> None:
    """The demo's court order and consent form, once: a database that holds either already has them (the demo's
    messages carry attachments of their own, loaded with them)."""
    if Document.unrestricted_with_voided.filter(
        kind__in=[DocumentKind.COURT_ORDER, DocumentKind.CONSENT_FORM]
    ).exists():
        return
    _court_order(coordinator, today)
    _consent_form(counselor)
