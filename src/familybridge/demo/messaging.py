"""The demo partnership's communication protocol, a few months of scheduled reports, and messages."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from familybridge.agencies.models import Agency, Partnership, User
from familybridge.consent.categories import Category
from familybridge.demo.documents import minimal_pdf
from familybridge.documents.models import DocumentKind
from familybridge.documents.services import store_document
from familybridge.messaging.models import CommunicationProtocol, DecisionPoint, Frequency, Message, ScheduledReport
from familybridge.messaging.reminders import run_reminders
from familybridge.messaging.selectors import may_read
from familybridge.messaging.services import (
    draft_scheduled_report,
    edit_scheduled_report,
    produce_scheduled_reports,
    send_message,
    send_scheduled_report,
)
from familybridge.people.models import FamilyMember, MemberRole
from familybridge.people.selectors import caseload_families


def load_protocol(partnership: Partnership, agencies: dict[str, Agency]) -> None:
    if partnership.protocols_comm.exists():
        return
    monthly = CommunicationProtocol.objects.create(
        partnership=partnership,
        decision_point=DecisionPoint.SUD_MONITORING,
        information="Monthly treatment progress report",
        category=Category.SUD_PROGRESS,
        from_agency_kind="sud_treatment",
        frequency=Frequency.MONTHLY,
        due_within_days=10,
        legal_basis="The parent's purpose-specific consent (42 CFR Part 2) naming child welfare and the court",
    )
    monthly.to_agencies.set([agencies["cedar-dcfs"], agencies["cedar-court"]])
    hearing = CommunicationProtocol.objects.create(
        partnership=partnership,
        decision_point=DecisionPoint.COURT_REVIEW,
        information="Case plan progress before each review hearing",
        category=Category.CW_CASE_PLAN,
        from_agency_kind="child_welfare",
        frequency=Frequency.BEFORE_HEARING,
        due_within_days=7,
        legal_basis="Interagency data-sharing agreement of the partnership",
    )
    hearing.to_agencies.set([agencies["cedar-court"]])


def load_reports_and_messages(today: date, users: dict[str, User], agencies: dict[str, Agency]) -> None:
    """Three months of monthly reports, most drafted and sent on time, a few late, one drafted and awaiting
    sending; and a short exchange per family."""
    if ScheduledReport.unrestricted.exists():
        return
    for months_back in (3, 2, 1):
        day = today.replace(day=1)
        for _ in range(months_back - 1):
            day = (day - timedelta(days=1)).replace(day=1)
        produce_scheduled_reports(day)
    counselors = {"new-dawn": users["rosa.nguyen"], "harbor": users["ellen.moore"]}
    awaiting = None
    for index, report in enumerate(
        ScheduledReport.unrestricted.select_related("owner_agency", "protocol").order_by("due_on", "pk")
    ):
        counselor = counselors[report.owner_agency.slug]
        try:
            if report.due_on < today and index % 5 != 0:
                draft_scheduled_report(counselor, report)
                send_scheduled_report(counselor, report, on=report.due_on)
            elif awaiting is None:
                # One report drafted and edited, waiting for its author to preview and send it.
                draft_scheduled_report(counselor, report)
                edit_scheduled_report(
                    counselor, report, body=f"{report.draft_body}\n\nNext review: family time to move to weekends."
                )
                awaiting = report
        except ValidationError:
            continue  # a month without a progress summary stays due, as in life
    load_messages(users, agencies)
    run_reminders(today)


def load_messages(users: dict[str, User], agencies: dict[str, Agency]) -> None:
    """A short exchange per family of the demo caseworker's: her message to the court and a program (which the
    program may not read: the preview warns her), the judge's reply in one thread, and a counselor's progress
    note under the mother's consent. Left unread, so the judge's and the caseworker's inboxes show counts."""
    caseworker, judge, counselor = users["maria.alvarez"], users["judge.okafor"], users["rosa.nguyen"]
    replied = progress_sent = False
    for family in caseload_families(caseworker).order_by("pk")[:6]:
        parent = FamilyMember.unrestricted.filter(family=family, role=MemberRole.PARENT).first()
        if parent is None or Message.unrestricted.filter(family=family).exists():
            continue
        try:
            message = send_message(
                caseworker,
                family=family,
                about=parent.subject,
                category=Category.CW_CASE_PLAN,
                recipient_agencies=[agencies["cedar-court"], agencies["new-dawn"]],
                subject_line="Family time moving to unsupervised",
                body="Visits have gone well for six weeks. We plan to move to unsupervised family time "
                "at the next review unless partners see a concern.",
            )
        except ValidationError:
            continue  # nobody at the court works this family yet
        if not replied and may_read(judge, message):
            store_document(
                caseworker,
                uploaded_file=SimpleUploadedFile(
                    "visit-log.pdf",
                    minimal_pdf(["Family time log", "Six weekly supervised visits, all attended, no concerns."]),
                    "application/pdf",
                ),
                family=family,
                subject=parent.subject,
                kind=DocumentKind.OTHER,
                title="Family time log",
                category=message.category,
                attached_to=message,
            )
            send_message(
                judge,
                family=family,
                about=parent.subject,
                category=Category.COURT_CASE,
                recipient_agencies=[agencies["cedar-dcfs"]],
                recipient_staff=[caseworker],
                subject_line=f"Re: {message.subject_line}",
                body="Thank you. Please file the visit reports with the review packet; we will take it up then.",
                in_reply_to=message,
            )
            replied = True
        if not progress_sent:
            try:
                send_message(
                    counselor,
                    family=family,
                    about=parent.subject,
                    category=Category.SUD_PROGRESS,
                    recipient_agencies=[agencies["cedar-dcfs"]],
                    subject_line="Monthly check-in",
                    body="Attending groups three times a week; all tests this month negative.",
                )
                progress_sent = True
            except (PermissionDenied, ValidationError):
                pass  # not her client, or the mother's consent does not open it to child welfare
