"""Court reports for upcoming hearings (filed and frozen, one amended, one a draft in progress); the court's docket."""

from datetime import date, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from familybridge.agencies.models import Agency, User
from familybridge.agencies.roles import Purpose, Role
from familybridge.audit.services import audited_update
from familybridge.cases.models import CourtCase, Hearing, HearingOutcome, HearingType
from familybridge.cases.services import record_hearing_outcome
from familybridge.courts.models import CourtReport
from familybridge.courts.services import amend_report, edit_draft, file_report, sign_off, start_report
from familybridge.people.models import CaseloadAssignment

REPORTS = 4
NARRATIVE = (
    "Since the last hearing the parent has kept the case plan's appointments and the visits have gone well. "
    "The records below are those the court may see under the family's consents and the partnership's agreement."
)
RECOMMENDATIONS = "Continue the case plan and the current visitation schedule; review at the next hearing."
AMENDED_NARRATIVE = NARRATIVE + " Corrected: the visit of last month was rescheduled by the caregiver, not missed."


def load_court_reports(today: date, author: User) -> None:
    """Reports filed and frozen for upcoming hearings (the first one amended by a second version), and a draft the
    author has started and not yet signed off."""
    if CourtReport.unrestricted.exists():
        return
    upcoming = Hearing.unrestricted.filter(
        hearing_date__gte=today, court_case__family__assignments__staff=author
    ).order_by("hearing_date", "pk")
    hearings = list(upcoming.select_related("court_case"))
    filed: dict[int, CourtReport] = {}
    for hearing in hearings:
        family_id = hearing.court_case.family_id
        if len(filed) == REPORTS:
            break
        if family_id in filed:
            continue
        try:
            with transaction.atomic():  # a refused filing leaves no draft behind
                draft = start_report(
                    author,
                    hearing,
                    purpose=Purpose.COURT_PROCEEDING,
                    narrative=NARRATIVE,
                    recommendations=RECOMMENDATIONS,
                )
                filed[family_id] = _filed(author, draft)
        except ValidationError:
            continue  # the court cannot open a report from the author's agency about this family yet
    first = next(iter(filed.values()), None)
    if first is not None:
        amendment = amend_report(author, first)
        edit_draft(
            author,
            amendment,
            purpose=amendment.purpose,
            narrative=AMENDED_NARRATIVE,
            recommendations=amendment.recommendations,
        )
        _filed(author, amendment)
    # A draft in progress, written and not yet signed off, for the next hearing nobody has reported on.
    reported = {report.hearing_id for report in filed.values()}
    waiting = next((hearing for hearing in hearings if hearing.pk not in reported), None)
    if waiting is not None:
        start_report(author, waiting, purpose=Purpose.COURT_PROCEEDING, narrative=NARRATIVE, recommendations="")


def _filed(author: User, draft: CourtReport) -> CourtReport:
    sign_off(author, draft)
    return file_report(author, draft)


# The docket: every hearing at a time and in a courtroom, hearings this week for each judge, a few outcomes.

MORNING_AND_AFTERNOON = [time(8, 30), time(9, 0), time(9, 30), time(10, 15), time(11, 0), time(13, 30), time(14, 15)]
COURTROOMS = ["Courtroom 2A", "Courtroom 2B", "Courtroom 3"]
HEARINGS_THIS_WEEK_PER_JUDGE = 3


def load_docket(today: date, court: Agency) -> None:
    """Times and courtrooms for the hearings that have none, hearings this week on each judge's docket, and the
    outcomes of a few past hearings; loading twice adds nothing."""
    judges = list(User.objects.filter(agency=court, staff_roles__role=Role.JUDGE).order_by("pk"))
    _hearings_this_week(today, judges)
    _times_and_courtrooms(judges)
    _outcomes(today, judges)


def _docket_cases(judge: User, on: date) -> list[CourtCase]:
    docket = judge.assignments.filter(about_type=ContentType.objects.get_for_model(CourtCase)).in_effect(on)
    cases = CourtCase.unrestricted.filter(pk__in=docket.values("about_id"), family__closed_on=None)
    return list(cases.order_by("pk"))


def _hearings_this_week(today: date, judges: list[User]) -> None:
    """Each judge has review hearings set this week (weekdays from today), on cases with none this week."""
    weekdays = [day for day in (today + timedelta(days=n) for n in range(7)) if day.weekday() < 5]
    for judge in judges:
        cases = _docket_cases(judge, today)
        set_this_week = Hearing.unrestricted.filter(
            court_case__in=cases, hearing_date__gte=today, hearing_date__lte=today + timedelta(days=6)
        )
        needed = HEARINGS_THIS_WEEK_PER_JUDGE - set_this_week.count()
        busy = set(set_this_week.values_list("court_case_id", flat=True))
        for index, case in enumerate(c for c in cases if c.pk not in busy):
            if index >= needed or not weekdays:
                break
            Hearing.objects.get_or_create(
                owner_agency=case.owner_agency,
                source_id=f"WEEK{case.pk:05d}",
                defaults={
                    "subject": case.subject,
                    "court_case": case,
                    "hearing_date": weekdays[index % len(weekdays)],
                    "hearing_type": HearingType.FTC if case.is_family_treatment_court else HearingType.REVIEW,
                },
            )


def _times_and_courtrooms(judges: list[User]) -> None:
    """Each judge sits in a courtroom of their own; the cases are called at the court's usual times."""
    untimed = Hearing.unrestricted.filter(hearing_time=None).values_list("pk", "court_case_id")
    judge_of_case = dict(
        CaseloadAssignment.objects.filter(
            about_type=ContentType.objects.get_for_model(CourtCase), staff__in=judges
        ).values_list("about_id", "staff_id")
    )
    room_of_judge = {judge.pk: COURTROOMS[index % len(COURTROOMS)] for index, judge in enumerate(judges)}
    slots: dict[tuple[time, str], list[int]] = {}
    for pk, case_id in untimed:
        room = room_of_judge.get(judge_of_case.get(case_id), COURTROOMS[-1])
        slots.setdefault((MORNING_AND_AFTERNOON[pk % len(MORNING_AND_AFTERNOON)], room), []).append(pk)
    for (at, room), pks in slots.items():
        audited_update(Hearing.unrestricted.filter(pk__in=pks), hearing_time=at, courtroom=room)


def _outcomes(today: date, judges: list[User]) -> None:
    """The judge records what became of the last few hearings on her docket: held, one continued, one vacated."""
    if Hearing.unrestricted.exclude(outcome="").exists():
        return
    notes = [
        (HearingOutcome.HELD, "Progress reviewed; next review set."),
        (HearingOutcome.CONTINUED, "Continued two weeks: the treatment report had not arrived."),
        (HearingOutcome.HELD, "Phase advancement approved."),
        (HearingOutcome.VACATED, "Vacated: the parties agreed to the case plan."),
    ]
    for judge in judges:
        recent = Hearing.unrestricted.filter(
            court_case__in=_docket_cases(judge, today),
            hearing_date__lt=today,
            hearing_date__gte=today - timedelta(days=30),
        ).order_by("-hearing_date", "pk")
        for hearing, (outcome, note) in zip(recent, notes, strict=False):
            record_hearing_outcome(judge, hearing, outcome=outcome, note=note)
