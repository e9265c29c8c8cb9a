from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from familybridge.agencies.models import Agency, Team, User
from familybridge.agencies.roles import Purpose, Role
from familybridge.cases.models import CourtCase, Hearing, RemovalEpisode, TreatmentEpisode, Visitation
from familybridge.courts.models import CourtReport, FiledPart
from familybridge.courts.selectors import verify_filed_copy
from familybridge.demo.corrections import CORRECTED_NOTE
from familybridge.intake.models import IntakeReport
from familybridge.notes.models import CaseNote, ContactLogEntry
from familybridge.people.matching import Typed
from familybridge.people.models import CaseloadAssignment, Family
from familybridge.people.selectors import likely_duplicates
from familybridge.referrals import selectors as referral_selectors
from familybridge.referrals.models import Referral
from familybridge.screening.models import ScreeningResult


def test_demo_loads_a_whole_partnership_and_is_idempotent(db, capsys):
    call_command("demo", no_serve=True)
    output = capsys.readouterr().out
    assert "every password is" in output and "familybridge otp code USERNAME" in output
    counts = (Family.objects.count(), RemovalEpisode.unrestricted.count(), TreatmentEpisode.unrestricted.count())
    assert counts[0] >= 40 and counts[1] > 10 and counts[2] > 10
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds == {"child_welfare", "sud_treatment", "court"}
    assert Agency.objects.filter(kind="sud_treatment", is_part2_program=True).count() == 2
    roles = set(User.objects.values_list("staff_roles__role", flat=True))
    # The demo has no health agency, so no clinician; every other role is there.
    assert roles == set(Role.values) - {Role.CLINICIAN}
    # Issue 10, finding 7: every account passes a second factor, so every demo login has a device.
    assert not User.objects.exclude(totpdevice__confirmed=True, totpdevice__name="demo").exists()
    assert Hearing.unrestricted.filter(hearing_type="ftc").exists()
    # Intake: a report at each step, made through intake's services.
    statuses = sorted(IntakeReport.unrestricted.values_list("status", flat=True))
    assert statuses == ["awaiting_approval", "awaiting_screening", "closed", "responding"]
    # Correcting the record: one visit corrected (with its original in the history), one voided.
    visits = (Visitation.unrestricted.filter(note=CORRECTED_NOTE).count(), Visitation.unrestricted_with_voided.count())
    assert visits[0] == 1 and Visitation.unrestricted_with_voided.exclude(voided_at=None).count() == 1
    # Notes and contacts: a caseworker's home visits on three families, a counselor's notes (a counseling note
    # among them) and the court coordinator's note.
    notes = (CaseNote.unrestricted.count(), ContactLogEntry.unrestricted.count())
    writers = set(CaseNote.unrestricted.values_list("recorded_by__username", flat=True))
    assert writers == {"maria.alvarez", "rosa.nguyen", "carl.fischer"}
    assert CaseNote.unrestricted.filter(category="sud.counseling_notes").count() == 1
    home_visits = ContactLogEntry.unrestricted.filter(contact_type="home_visit", child_seen=True)
    assert home_visits.values("family").distinct().count() == 3

    # The duplicate check finds William Porter as "Bill", born April 3 (not March 4), for his caseworker;
    # Robert Quinn, known only to a Part 2 program, is nobody to her.
    maria = User.objects.get(username="maria.alvarez")
    bill = Typed("Bill", "Porter", date(1987, 4, 3))
    assert [c.person.first_name for c in likely_duplicates(maria, Purpose.CASE_PLANNING, bill)] == ["William"]
    assert likely_duplicates(maria, Purpose.CASE_PLANNING, Typed("Robert", "Quinn", date(1985, 8, 12))) == []
    # Issue 11: each judge has a docket, each program a referral waiting in its intake queue, the supervisor a team.
    today = timezone.localdate()
    for judge in ("judge.okafor", "judge.marsh"):
        docket = CaseloadAssignment.objects.in_effect(today).filter(staff__username=judge, capacity=Role.JUDGE)
        assert docket.exists(), judge
    for supervisor in ("ben.walker", "victor.lee"):
        assert referral_selectors.intake_queue(User.objects.get(username=supervisor), Purpose.TREATMENT).exists()
    team = Team.objects.get(supervisor__username="denise.davis")
    assert team.memberships.count() == 3
    assert CourtCase.unrestricted.exclude(closed_on=None).exists()
    queues = Referral.unrestricted.filter(source_id="INTAKE-WAITING").count()
    # The docket: every hearing at a time and in a courtroom, each judge's week set, a few outcomes recorded.
    assert not Hearing.unrestricted.filter(hearing_time=None).exists()
    assert not Hearing.unrestricted.filter(courtroom="").exists()
    for judge in User.objects.filter(staff_roles__role=Role.JUDGE):
        docket = judge.assignments.exclude(about_id=None).values("about_id")
        this_week = Hearing.unrestricted.filter(
            court_case__in=docket, hearing_date__gte=today, hearing_date__lte=today + timedelta(days=6)
        )
        assert this_week.exists(), f"{judge} has no hearing this week"
    assert Hearing.unrestricted.exclude(outcome="").exists()
    # Court reports: filed and frozen with their hashes, one amended by a version 2, one draft in progress.
    filed_reports = CourtReport.unrestricted.exclude(sent_at=None)
    assert CourtReport.unrestricted.filter(sent_at=None).count() == 1
    assert filed_reports.filter(version=2, amends__isnull=False).exists()
    assert all(verify_filed_copy(report) for report in filed_reports) and FiledPart.unrestricted.exists()
    court_reports = CourtReport.unrestricted.count()
    counts += (Hearing.unrestricted.count(), Referral.unrestricted.count(), ScreeningResult.unrestricted.count())

    call_command("demo", no_serve=True)
    assert IntakeReport.unrestricted.count() == len(statuses)
    assert (
        Family.objects.count(),
        RemovalEpisode.unrestricted.count(),
        TreatmentEpisode.unrestricted.count(),
        Hearing.unrestricted.count(),
        Referral.unrestricted.count(),
        ScreeningResult.unrestricted.count(),
    ) == counts
    assert (
        Visitation.unrestricted.filter(note=CORRECTED_NOTE).count(),
        Visitation.unrestricted_with_voided.count(),
    ) == visits
    assert Referral.unrestricted.filter(source_id="INTAKE-WAITING").count() == queues == 2
    assert (CaseNote.unrestricted.count(), ContactLogEntry.unrestricted.count()) == notes
    assert CourtReport.unrestricted.count() == court_reports
    call_command("audit", "verify")
