"""Correcting the record: the writer or a supervisor of the agency that wrote a record corrects it with a reason
or voids it as entered in error; the original stays in its history, which only those who may see the record read."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from familybridge.agencies.roles import Purpose, Role
from familybridge.audit.models import AuditEvent
from familybridge.cases import corrections, services
from familybridge.cases import models as m
from familybridge.cases.selectors import family_clocks
from familybridge.cases.services import RECORD_KINDS
from familybridge.cases.timeline import family_timeline
from familybridge.consent import policy
from familybridge.people.models import ProtectedRecord
from familybridge.people.protected import ReadWithoutPolicy

CASE_PLANNING = Purpose.CASE_PLANNING


@pytest.fixture
def report(worker, family):
    return services.record_report(
        worker, family, subject=family.people["kid"], report_date=date(2026, 2, 1), disposition="indicated"
    )


def shown(user, record, purpose=CASE_PLANNING, include_voided=False, family=None):
    """The record as the policy point shows it to the user on its family's page (None when it is not shown)."""
    kind = services.kind_of(record)
    family = family or record.family
    return corrections.record_of_family(user, family, kind, record.pk, purpose, include_voided=include_voided)


def test_every_record_kind_with_a_row_of_its_own_declares_its_editable_fields_and_rules():
    for kind in RECORD_KINDS.values():
        if kind.model is None:
            continue
        assert kind.rules is not None, kind.slug
        assert kind.editable, kind.slug
        for name in kind.editable:
            kind.model._meta.get_field(name)


def test_the_services_record_who_wrote_each_record(worker, report):
    assert report.recorded_by == worker


def test_the_writer_corrects_a_record_with_a_reason_and_the_history_keeps_the_original(worker, family, report):
    record = shown(worker, report)
    corrections.correct_record(
        worker, family, record, {"disposition": "substantiated"}, "The finding was approved on appeal."
    )
    report.refresh_from_db()
    assert report.disposition == "substantiated"
    history = corrections.versions(shown(worker, report))
    assert [v.action for v in history] == ["Recorded", "Corrected"]
    assert history[0].by == str(worker)  # written outside a request: its writer
    finding = {v.label: v for v in history[0].values}["Disposition"]
    assert finding.value == "Indicated"
    assert history[1].reason == "The finding was approved on appeal."
    assert history[1].by == str(worker)
    assert {v.label: v for v in history[1].values}["Disposition"].changed


def test_the_correction_and_its_reason_are_audited_before_and_after(worker, family, report):
    corrections.correct_record(worker, family, shown(worker, report), {"summary": "Neglect"}, "Typo.")
    event = AuditEvent.objects.filter(object_type="cases.childwelfarereport", action="update").latest("sequence")
    assert event.details["before"]["summary"] == ""
    assert event.details["after"]["summary"] == "Neglect"
    assert event.details["reason"] == "Typo."


def test_a_correction_is_held_to_the_rule_the_record_was_written_under(worker, family, report):
    with pytest.raises(ValidationError) as error:
        corrections.correct_record(
            worker, family, shown(worker, report), {"report_date": date(2099, 1, 1)}, "Wrong date."
        )
    assert "cannot be in the future" in str(error.value)
    with pytest.raises(ValidationError) as creating:
        services.record_report(
            worker, family, subject=family.people["kid"], report_date=date(2099, 1, 1), disposition="indicated"
        )
    assert error.value.message_dict == creating.value.message_dict


def test_a_reason_is_required(worker, family, report):
    with pytest.raises(ValidationError) as error:
        corrections.correct_record(worker, family, shown(worker, report), {"summary": "x"}, "  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        corrections.void_record(worker, family, shown(worker, report), "")


def test_a_supervisor_of_the_agency_may_correct_another_caseworkers_record(agencies, make_user, family, report):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    assert corrections.may_amend(supervisor, report)
    corrections.correct_record(supervisor, family, shown(supervisor, report), {"summary": "Checked"}, "Review.")


def test_another_caseworker_of_the_same_agency_may_not(agencies, make_user, assign, family, report):
    colleague = make_user("colleague", agencies["cw"], Role.CASEWORKER)
    assign(colleague, family)
    record = shown(colleague, report)
    assert record is not None and not corrections.may_amend(colleague, record)
    with pytest.raises(PermissionDenied):
        corrections.correct_record(colleague, family, record, {"summary": "x"}, "Mine now.")
    with pytest.raises(PermissionDenied):
        corrections.void_record(colleague, family, record, "Mine now.")


def test_another_agencys_staff_may_not(agencies, make_user, family, report):
    court_supervisor = make_user("cc", agencies["court"], Role.COURT_COORDINATOR)
    clinical = make_user("clin", agencies["sud"], Role.CLINICAL_SUPERVISOR)
    for user in (court_supervisor, clinical):
        assert not corrections.may_amend(user, report)
        with pytest.raises(PermissionDenied):
            corrections.void_record(user, family, report, "Not theirs.")


def test_a_voided_record_leaves_the_policy_point_but_its_history_page_shows_it(worker, family, report):
    corrections.void_record(worker, family, shown(worker, report), "Entered for the wrong family.")
    assert shown(worker, report) is None
    assert not policy.permitted(worker, m.ChildWelfareReport.objects.all(), CASE_PLANNING).exists()
    assert not m.ChildWelfareReport.unrestricted.filter(pk=report.pk).exists()
    record = shown(worker, report, include_voided=True)
    assert record.is_voided and record.void_reason == "Entered for the wrong family."
    history = corrections.versions(record)
    assert [v.action for v in history] == ["Recorded", "Voided"]
    assert history[-1].voided and history[-1].reason == "Entered for the wrong family."
    assert not corrections.may_amend(worker, record)


def test_a_voided_removal_no_longer_makes_the_child_already_in_care(worker, family):
    kid = family.people["kid"]
    removal = services.record_removal(worker, family, subject=kid, removal_date=date(2026, 2, 1))
    corrections.void_record(worker, family, shown(worker, removal), "Wrong child.")
    services.record_removal(worker, family, subject=kid, removal_date=date(2026, 3, 1))


def test_a_record_others_hang_on_is_voided_after_them(worker, family):
    removal = services.record_removal(worker, family, subject=family.people["kid"], removal_date=date(2026, 2, 1))
    services.record_placement(
        worker, family, episode=removal, setting_type="foster", setting_start=date(2026, 2, 1)
    )
    with pytest.raises(ValidationError) as error:
        corrections.void_record(worker, family, shown(worker, removal), "Wrong child.")
    assert "Void the 1 placement setting" in str(error.value)


def test_an_imported_record_keeps_its_original_in_the_history(agencies, make_user, family):
    supervisor = make_user("sup", agencies["cw"], Role.CW_SUPERVISOR)
    imported = m.ChildWelfareReport.objects.bulk_create(
        [
            m.ChildWelfareReport(
                owner_agency=agencies["cw"],
                subject=family.people["kid"],
                family=family,
                report_date=date(2025, 5, 1),
                disposition="indicated",
            )
        ]
    )[0]
    corrections.correct_record(supervisor, family, shown(supervisor, imported), {"disposition": "other"}, "Fix.")
    history = corrections.versions(shown(supervisor, imported))
    assert [v.action for v in history] == ["Recorded", "Corrected"]
    assert {v.label: v.value for v in history[0].values}["Disposition"] == "Indicated"


def test_versions_are_read_only_with_a_record_the_policy_point_showed(worker, family, report):
    with pytest.raises(ReadWithoutPolicy):
        list(report.history.all())
    with pytest.raises(ReadWithoutPolicy):
        list(m.ChildWelfareReport.history.all())
    with pytest.raises(ReadWithoutPolicy):
        list(report.history.model.objects.all())
    assert len(shown(worker, report).history.all()) == 1


def test_every_protected_models_versions_are_guarded():
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, ProtectedRecord):
            with pytest.raises(ReadWithoutPolicy):
                model.history.model.objects.exists()
            with pytest.raises(ReadWithoutPolicy):
                model.history.exists()


def test_a_treatment_discharge_corrected_or_voided_keeps_the_episode_in_step(counselor, family):
    mom = family.people["mom"]
    episode = services.admit_to_treatment(counselor, family, subject=mom, admission_date=date(2026, 2, 1))
    summary = services.discharge_from_treatment(
        counselor, family, episode=episode, discharge_date=date(2026, 3, 1), discharge_reason="completed"
    )
    record = shown(counselor, summary, purpose=Purpose.TREATMENT, family=family)
    corrections.correct_record(counselor, family, record, {"discharged_on": date(2026, 3, 2)}, "Date.")
    episode.refresh_from_db()
    assert episode.discharge_date == date(2026, 3, 2)
    record = shown(counselor, summary, purpose=Purpose.TREATMENT, family=family)
    corrections.void_record(counselor, family, record, "Not discharged.")
    episode.refresh_from_db()
    assert episode.discharge_date is None and episode.discharge_reason == ""


def _level_of_15_of_22(user, family, on):
    [child] = [m for m in family_clocks(user, family, CASE_PLANNING, on=on) if m.role == "Child"]
    return next(c for c in child.clocks if c.name == "15 of 22 months")


def test_a_voided_removal_no_longer_counts_toward_15_of_22_months(worker, family):
    kid = family.people["kid"]
    first = services.record_removal(worker, family, subject=kid, removal_date=date(2024, 6, 1))
    services.discharge_removal(
        worker, family, episode=first, discharge_date=date(2025, 6, 1), discharge_reason="reunification"
    )
    services.record_removal(worker, family, subject=kid, removal_date=date(2025, 9, 1))
    on = date(2026, 6, 1)
    # 304 days of the first episode and 213 of the second within the most recent 22 months: past 457.
    before = _level_of_15_of_22(worker, family, on)
    corrections.void_record(worker, family, shown(worker, first), "The first removal was another child's.")
    after = _level_of_15_of_22(worker, family, on)
    assert before.level == "due" and after.level == "ok", (before, after)


def test_a_voided_record_leaves_the_timeline(worker, family, report):
    assert [e.title for e in family_timeline(worker, family, CASE_PLANNING).entries] == ["Report"]
    corrections.void_record(worker, family, shown(worker, report), "Wrong family.")
    assert family_timeline(worker, family, CASE_PLANNING).entries == []


# Screens and referrals: registered by their apps, corrected and voided like every record


def test_a_screen_is_corrected_under_its_own_rule(worker, family):
    from familybridge.screening import services as screening

    result = screening.administer_screen(
        worker,
        family=family,
        subject=family.people["mom"],
        instrument_id="AUDIT",
        answers=[2, 2, 2, 1, 1, 0, 0, 0, 0, 0],
        purpose=CASE_PLANNING,
    )
    assert result.recorded_by == worker
    record = shown(worker, result)
    with pytest.raises(ValidationError) as error:
        corrections.correct_record(worker, family, record, {"administered_on": date(2099, 1, 1)}, "Date.")
    assert "administered_on" in error.value.message_dict
    corrections.correct_record(worker, family, record, {"observation_note": "Slurred speech."}, "Forgot it.")
    result.refresh_from_db()
    assert result.observation_note == "Slurred speech."


def test_the_referrer_corrects_its_referral_and_the_program_voids_its_steps_latest_first(
    worker, counselor, family, agencies, make_user, assign
):
    from familybridge.referrals import selectors as referral_selectors
    from familybridge.referrals import services as referrals
    from familybridge.referrals.models import ReferralStatus, ReferralStep

    referral = referrals.create_referral(
        worker, subject=family.people["mom"], provider=agencies["sud"], referral_date=date(2026, 2, 1), reason="Scr"
    )
    as_referrer = shown(worker, referral, family=family)
    assert corrections.may_amend(worker, as_referrer)
    corrections.correct_record(worker, family, as_referrer, {"reason": "Positive AUDIT screen"}, "Typo.")
    as_program = shown(counselor, referral, purpose=Purpose.TREATMENT, family=family)
    assert as_program is not None and not corrections.may_amend(counselor, as_program)

    accepted = referrals.record_step(counselor, referral, ReferralStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="ask the program"):
        corrections.void_record(worker, family, shown(worker, referral, family=family), "Wrong parent.")
    received = ReferralStep.unrestricted.get(referral=referral, status=ReferralStatus.RECEIVED)

    def step(record):
        return shown(counselor, record, purpose=Purpose.TREATMENT, family=family)

    with pytest.raises(PermissionDenied):  # the referrer's act: the program did not write it
        corrections.void_record(counselor, family, step(received), "x")
    corrections.void_record(counselor, family, step(accepted), "Accepted the wrong referral.")
    assert referral_selectors.worklist(counselor, Purpose.TREATMENT)[0].current_status == ReferralStatus.RECEIVED

    corrections.void_record(worker, family, shown(worker, referral, family=family), "Referred the wrong parent.")
    assert referral_selectors.worklist(counselor, Purpose.TREATMENT) == []
    assert not ReferralStep.unrestricted.filter(referral=referral).exists()
