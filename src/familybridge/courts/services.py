"""Court reports: a draft the author writes and signs off, and filing, which freezes what the court read."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from familybridge.agencies.models import User
from familybridge.audit.services import record_event
from familybridge.cases.models import Hearing, TreatmentEpisode
from familybridge.consent import policy
from familybridge.courts.models import CourtReport, FiledPart
from familybridge.courts.selectors import (
    CompiledReport,
    compile_for_author,
    compile_for_court,
    filed_sections,
    sha256_of,
)
from familybridge.people.models import FamilyMember, derive_provenance, program_provenance


def start_report(author: User, hearing: Hearing, *, purpose: str, narrative: str, recommendations: str) -> CourtReport:
    """A draft report for the hearing: the author's agency's own record until it is filed."""
    if author.agency_id == hearing.owner_agency_id:
        raise PermissionDenied("The court does not send reports to itself.")
    report = CourtReport.objects.create(
        owner_agency=author.agency,
        subject=hearing.subject,
        hearing=hearing,
        author=author,
        recorded_by=author,
        purpose=purpose,
        narrative=narrative.strip(),
        recommendations=recommendations.strip(),
    )
    record_event("start_court_report", report, purpose=purpose)
    return report


def amend_report(author: User, filed: CourtReport) -> CourtReport:
    """A draft of the next version of a filed report, starting from its narrative and recommendations."""
    if filed.author_id != author.pk:
        raise PermissionDenied("Only the author of a report files its amended versions.")
    if not filed.is_filed:
        raise ValidationError("Only a filed report can be amended; edit the draft instead.")
    _refuse_if_superseded(filed)
    report = start_report(
        author,
        filed.hearing,
        purpose=filed.purpose,
        narrative=filed.narrative,
        recommendations=filed.recommendations,
    )
    report.amends, report.version = filed, filed.version + 1
    report.save(update_fields=["amends", "version"])
    return report


def edit_draft(author: User, report: CourtReport, *, purpose: str, narrative: str, recommendations: str) -> CourtReport:
    """Change a draft. A change undoes the sign-off: the author signs off what will be filed, as it is."""
    _refuse_unless_own_draft(author, report)
    report.purpose, report.narrative, report.recommendations = purpose, narrative.strip(), recommendations.strip()
    report.signed_off_by, report.signed_off_at = None, None
    report.save()
    record_event("edit_court_report", report, purpose=purpose)
    return report


def sign_off(author: User, report: CourtReport) -> CourtReport:
    """The author declares the draft ready to file, as it stands; who and when are recorded."""
    _refuse_unless_own_draft(author, report)
    problems = {}
    if not report.narrative:
        problems["narrative"] = "Write the narrative before signing off: a report tells the court what you saw."
    if not report.recommendations:
        problems["recommendations"] = 'Write your recommendations before signing off ("None" is an answer).'
    if problems:
        raise ValidationError(problems)
    report.signed_off_by, report.signed_off_at = author, timezone.now()
    report.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    record_event("sign_off_court_report", report, purpose=report.purpose)
    return report


@transaction.atomic
def file_report(author: User, report: CourtReport) -> CourtReport:
    """File a signed-off draft with the court and freeze it.

    The court reader reads the records through the policy point now (the disclosure, accounted for); each line
    is kept as a FiledPart derived from its record; the HTML and PDF are rendered once and stored with their
    SHA-256 hashes. From then on the report never changes. Any refusal leaves nothing saved.
    """
    # Locked and read afresh: a second click files nothing twice, and a refusal leaves the caller's copy as it was.
    report = CourtReport.unrestricted.select_for_update().get(pk=report.pk)
    _refuse_unless_own_draft(author, report)
    if not report.is_signed_off:
        raise ValidationError("Sign the report off before filing it: the court relies on what its author signed.")
    if report.amends_id is not None:
        _refuse_if_superseded(report.amends)
    hearing = report.hearing
    preview = compile_for_author(author, hearing, report.purpose)
    if preview.court_reader is None:
        raise ValidationError("No judge or court coordinator has this family on their caseload yet.")
    filed = compile_for_court(preview.court_reader, hearing, preview.included, report.purpose)
    report.owner_agency = hearing.owner_agency
    for field, value in _provenance(author, preview).items():
        setattr(report, field, value)
    report.included = filed.included
    report.filed_for = filed.court_reader
    report.sent_at = timezone.now()
    report.save()
    if not policy.permitted(filed.court_reader, CourtReport.objects.filter(pk=report.pk), report.purpose).exists():
        raise ValidationError(
            f"No consent or court order lets {author.agency.name} tell the court that it works with this family, "
            "so the court could not open the report. Nothing was sent."
        )
    parts = _frozen_parts(report, filed)
    FiledPart.objects.bulk_create(parts)
    report.filed_sections = [
        {"key": s.key, "title": s.title, "parts": len(s.parts), "part2": s.part2} for s in filed.sections
    ]
    notices = {section.key: section.part2 for section in filed.sections}
    report.filed_html = render_to_string(
        "courts/_report_body.html",
        {"report": filed, "sections": filed_sections(report, parts, notices), "document": report},
    )
    report.content_hash = sha256_of(report.filed_html.encode())
    report.filed_pdf = _pdf(report)
    report.pdf_hash = sha256_of(report.filed_pdf)
    report.save(update_fields=["filed_sections", "filed_html", "content_hash", "filed_pdf", "pdf_hash", "updated_at"])
    record_event(
        "file_court_report",
        report,
        purpose=report.purpose,
        details={"version": report.version, "content_hash": report.content_hash, "filed_for": filed.court_reader.pk},
    )
    return report


def _frozen_parts(report: CourtReport, filed: CompiledReport) -> list[FiledPart]:
    """Each line the court read, with its record's owner, category and subject, derived from the record."""
    parts = []
    for section in filed.sections:
        for part in section.parts:
            source = part.source
            parts.append(
                FiledPart(
                    report=report,
                    owner_agency_id=source.owner_agency_id,
                    subject_id=source.subject_id,
                    category=source.category,
                    recorded_by=report.author,
                    section=section.key,
                    position=len(parts),
                    kind=FiledPart.ATTENDANCE if part.is_attendance else FiledPart.ENTRY,
                    day=part.day,
                    title=part.title,
                    person=part.person,
                    detail=part.detail,
                    **derive_provenance(source),
                )
            )
    return parts


def _pdf(report: CourtReport) -> bytes:
    """The filed copy as a PDF: the same HTML, paginated, with its hash in every page's footer."""
    from weasyprint import HTML

    html = render_to_string("courts/report_pdf.html", {"document": report})
    return HTML(string=html).write_pdf()


def _refuse_unless_own_draft(author: User, report: CourtReport) -> None:
    if report.author_id != author.pk:
        raise PermissionDenied("Only the author of a court report changes, signs off or files it.")
    if report.is_filed:
        raise ValidationError("This report was filed and cannot change. File an amended version instead.")


def _refuse_if_superseded(filed: CourtReport) -> None:
    """A report is amended from its latest filed version only, so the versions stay one line."""
    later = CourtReport.unrestricted.filter(amends=filed).exclude(sent_at=None)
    if later.exists():
        raise ValidationError(
            f"Version {filed.version} was already amended by a later filed version: amend the latest one."
        )


def _provenance(author: User, compiled: CompiledReport) -> dict:
    """A report a Part 2 program files is the program's information: that it works with the family is Part 2
    even when the report holds only other agencies' records. It is derived from the first of the program's
    own records it includes, else from the program's treatment episode with the family's client."""
    program = author.agency
    if not program.is_part2_program:
        return {}
    own = next((r for r in compiled.records if r.owner_agency_id == program.pk), None)
    if own is not None:
        return derive_provenance(own)
    members = FamilyMember.unrestricted.filter(family=compiled.hearing.court_case.family).values("subject_id")
    episodes = TreatmentEpisode.unrestricted.filter(owner_agency=program, subject__in=members)
    client = episodes.select_related("owner_agency", "subject").order_by("-admission_date").first()
    if client is not None:
        return derive_provenance(client)
    return program_provenance(program, compiled.hearing.subject)
