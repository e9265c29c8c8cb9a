"""Writes: record, revoke and end consents; court orders, agreements, emergencies, restrictions, abuse reports.

Each write keeps the basis and its flat grants in step, in one transaction, and writes an audit event.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from familybridge.agencies.models import Agency, AgencyKind, User
from familybridge.audit.services import record_event
from familybridge.cases.models import ChildWelfareReport, Disposition
from familybridge.consent import access, grants
from familybridge.consent.access import EMERGENCY_LOG_ROLES
from familybridge.consent.categories import PART2_CATEGORIES, Category
from familybridge.consent.models import (
    Agreement,
    AgreementApproval,
    ChildAbuseReportFiling,
    Consent,
    ConsentVerification,
    CourtOrder,
    EmergencyAccess,
    ExpiryEvent,
    RestrictionRequest,
    RevocationMethod,
    SubjectEvent,
    VerificationStatus,
)
from familybridge.consent.validation import ConsentTerms, missing_elements
from familybridge.dates import us_date
from familybridge.messaging.models import NotificationKind
from familybridge.messaging.services import notify
from familybridge.people.models import Family, Person

EMERGENCY_LENGTH = timedelta(days=1)


@transaction.atomic
def record_consent(terms: ConsentTerms, *, recorded_by: User | None = None, require_complete: bool = True) -> Consent:
    """Save a consent; unless it is kept as an incomplete draft, refuse it naming every missing element.

    Only a disclosing agency makes a consent take effect: recorded by one of its verifiers, it is verified
    for that agency by the act, as of the signature; every other disclosing agency verifies it from its
    queue. Without a recorder (loaded as written: scenarios, imports) it counts as the disclosers' own.
    Nothing here tells the recorder whether the person is known to a disclosing agency.
    """
    problems = missing_elements(terms)
    if problems and require_complete:
        raise ValidationError(problems)
    consent = Consent.objects.create(
        subject=terms.subject,
        kind=terms.kind,
        discloser_class=terms.discloser_class,
        recipient_class=terms.recipient_class,
        purposes=list(terms.purposes),
        categories=list(terms.categories),
        expires_on=terms.expires_on,
        expires_on_event=terms.expires_on_event,
        signer_name=terms.signer_name.strip(),
        signer_relationship=terms.signer_relationship,
        signed_at=terms.signed_at,
        revocation_statement=terms.revocation_statement,
        recorded_by=recorded_by,
        recorded_at_agency=recorded_by.agency if recorded_by else None,
    )
    consent.disclosers.set(terms.disclosers)
    consent.recipients.set(terms.recipients)
    consent.recipient_staff.set(terms.recipient_staff)
    _end_by_past_events(consent)
    if consent.signed_at:
        verifying = [
            agency
            for agency in grants.discloser_agencies(consent)
            if recorded_by is None or access.may_verify_consents(recorded_by, agency)
        ]
        at = min(consent.signed_at, timezone.now())
        ConsentVerification.objects.bulk_create(
            ConsentVerification(
                consent=consent,
                agency=agency,
                status=VerificationStatus.VERIFIED,
                decided_by=recorded_by,
                decided_at=at,
            )
            for agency in verifying
        )
    grants.sync_consent(consent)
    record_event("consent_recorded", consent, details={"subject": terms.subject.pk, "kind": terms.kind})
    return consent


def _decide_verification(consent: Consent, discloser: Agency, by: User | None) -> None:
    if by is not None and not access.may_verify_consents(by, discloser):
        raise PermissionDenied("Only the disclosing agency's counselors and supervisors answer for it.")
    if discloser.pk not in {agency.pk for agency in grants.discloser_agencies(consent)}:
        raise PermissionDenied("This consent does not name your agency as one that may disclose.")
    if consent.verifications.filter(agency=discloser).exists():
        raise ValidationError("Your agency already answered for this consent.")
    in_force = consent.status_on(timezone.localdate()) in ("not verified", "active", "not yet in effect")
    if by is not None and not in_force:
        raise ValidationError("This consent is no longer in effect: there is nothing to verify.")


@transaction.atomic
def verify_consent(
    consent: Consent, discloser: Agency, *, by: User | None = None, at: datetime | None = None
) -> Consent:
    """The disclosing agency confirms the consent is signed and on file: it discloses under it from that day."""
    _decide_verification(consent, discloser, by)
    ConsentVerification.objects.create(
        consent=consent,
        agency=discloser,
        status=VerificationStatus.VERIFIED,
        decided_by=by,
        decided_at=at or timezone.now(),
    )
    grants.sync_consent(consent)
    record_event("consent_verified", consent, details={"subject": consent.subject_id, "discloser": discloser.slug})
    return consent


@transaction.atomic
def reject_consent(consent: Consent, discloser: Agency, *, reason: str, by: User | None = None) -> Consent:
    """The disclosing agency will not disclose under the consent; the reason stays with that agency."""
    _decide_verification(consent, discloser, by)
    if not reason.strip():
        raise ValidationError({"reason": "Say why your agency will not disclose under this consent."})
    ConsentVerification.objects.create(
        consent=consent, agency=discloser, status=VerificationStatus.REJECTED, decided_by=by, reason=reason.strip()
    )
    grants.sync_consent(consent)
    record_event("consent_rejected", consent, details={"subject": consent.subject_id, "discloser": discloser.slug})
    return consent


def _end_by_past_events(consent: Consent) -> None:
    if consent.expires_on_event and consent.signed_on:
        event = (
            SubjectEvent.objects.filter(
                subject=consent.subject, kind=consent.expires_on_event, occurred_on__gte=consent.signed_on
            )
            .order_by("occurred_on")
            .first()
        )
        if event:
            consent.ended_by_event_on = event.occurred_on
            consent.save(update_fields=["ended_by_event_on"])


@transaction.atomic
def revoke_consent(
    consent: Consent, *, by: User | None = None, at: Any = None, how: str = "", note: str = ""
) -> Consent:
    """Revocation takes effect at once for every access after it; past disclosures stay in the accounting.

    `by` is who recorded it and `how` how the person asked (RevocationMethod; the revoke page requires it, and
    "other" needs a note). A blank `how` is for callers that do not know it (a scenario, a system job).
    """
    if consent.revoked_at:
        raise ValidationError("This consent was already revoked.")
    note = note.strip()
    if how and how not in RevocationMethod.values:
        raise ValidationError({"how": "Choose how the person asked to revoke."})
    if how == RevocationMethod.OTHER and not note:
        raise ValidationError({"note": "Say how the person asked to revoke."})
    consent.revoked_at = at or timezone.now()
    consent.revoked_by = by
    consent.revocation_method = how
    consent.revocation_note = note
    consent.save(update_fields=["revoked_at", "revoked_by", "revocation_method", "revocation_note"])
    grants.sync_consent(consent)
    record_event("consent_revoked", consent, details={"subject": consent.subject_id, "how": how, "note": note})
    return consent


@transaction.atomic
def record_subject_event(subject: Person, kind: str, occurred_on: date) -> None:
    """A case closing or a discharge: ends, from that day, every consent of the subject that ends with it."""
    if kind not in ExpiryEvent.values:
        raise ValidationError(f"Unknown event {kind!r}: use {', '.join(ExpiryEvent.values)}.")
    _, created = SubjectEvent.objects.get_or_create(subject=subject, kind=kind, occurred_on=occurred_on)
    if not created:
        return
    ending = Consent.objects.filter(
        subject=subject, expires_on_event=kind, signed_at__isnull=False, ended_by_event_on=None
    )
    for consent in ending:
        if consent.signed_on <= occurred_on:
            consent.ended_by_event_on = occurred_on
            consent.save(update_fields=["ended_by_event_on"])
            grants.sync_consent(consent)


def _check_scope(categories: list[str], purposes: list[str]) -> None:
    from familybridge.agencies.roles import Purpose

    unknown = [c for c in categories if c not in Category.values] + [p for p in purposes if p not in Purpose.values]
    if unknown:
        raise ValidationError(f"Unknown categories or purposes: {', '.join(unknown)}.")
    if not categories or not purposes:
        raise ValidationError("Name at least one category and one purpose.")


@transaction.atomic
def record_court_order(
    *,
    subject: Person,
    court_name: str,
    case_number: str,
    judge_name: str,
    issued_on: date,
    ends_on: date,
    disclosers: list[Agency],
    recipients: list[Agency],
    categories: list[str],
    purposes: list[str],
    recorded_by: User | None = None,
) -> CourtOrder:
    """A subpart E order with its full scope; a subpoena alone is never recorded here."""
    if recorded_by is not None and not access.may_record_court_order(recorded_by):
        raise PermissionDenied("Only a court's judges and court coordinators record its orders.")
    _check_scope(categories, purposes)
    if ends_on < issued_on:
        raise ValidationError({"ends_on": "The order would end before it is issued."})
    if not disclosers or not recipients:
        raise ValidationError("An order names who discloses and who receives.")
    order = CourtOrder.objects.create(
        subject=subject,
        court_name=court_name,
        case_number=case_number,
        judge_name=judge_name,
        issued_on=issued_on,
        ends_on=ends_on,
        categories=list(categories),
        purposes=list(purposes),
        recorded_by=recorded_by,
        recorded_at_agency=recorded_by.agency if recorded_by else None,
    )
    order.disclosers.set(disclosers)
    order.recipients.set(recipients)
    grants.sync_court_order(order)
    record_event("court_order_recorded", order, details={"subject": subject.pk})
    return order


@transaction.atomic
def record_agreement(
    *,
    name: str,
    parties: list[Agency],
    categories: list[str],
    purposes: list[str],
    starts_on: date,
    ends_on: date | None,
    recorded_by: User | None = None,
    approving_parties: list[Agency] | None = None,
) -> Agreement:
    """An interagency agreement; the Part 2 categories it lists stay closed (only consent or an order opens them).

    It takes effect once an administrator of every party approved it. Recorded by a party's administrator,
    it is approved for that party by the act; loaded as written (policy scenarios, no recorder), it is
    approved by `approving_parties`, by default every party.
    Staff recording one are refused Part 2 categories outright; agreements loaded as written (policy
    scenarios) keep them, closed, so a partnership can test what such an agreement does.
    """
    if recorded_by is not None:
        _check_agreement_as_recorded_by_staff(recorded_by, name, categories, starts_on, ends_on)
    _check_scope(categories, purposes)
    if len(parties) < 2:
        raise ValidationError({"parties": "An agreement has at least two parties."})
    agreement = Agreement.objects.create(
        name=name,
        categories=list(categories),
        purposes=list(purposes),
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=recorded_by,
    )
    agreement.parties.set(parties)
    if recorded_by is None:
        approving = parties if approving_parties is None else approving_parties
    else:
        approving = [party for party in parties if access.may_approve_agreement(recorded_by, party)]
    AgreementApproval.objects.bulk_create(
        AgreementApproval(agreement=agreement, agency=party, approved_by=recorded_by) for party in approving
    )
    grants.sync_agreement(agreement)
    record_event("agreement_recorded", agreement, details={"approved_by": [party.slug for party in approving]})
    return agreement


def _party_of(agreement: Agreement, party: Agency, by: User | None) -> None:
    if by is not None and not access.may_approve_agreement(by, party):
        raise PermissionDenied("Only an administrator of an agency approves agreements for it.")
    if not agreement.parties.filter(pk=party.pk).exists():
        raise PermissionDenied("Your agency is not a party to this agreement.")


@transaction.atomic
def approve_agreement(agreement: Agreement, party: Agency, *, by: User | None = None) -> Agreement:
    """One party's approval; when it is the last one missing, the agreement opens what it names at once."""
    _party_of(agreement, party, by)
    if agreement.approvals.filter(agency=party).exists():
        raise ValidationError("Your agency already approved this agreement.")
    AgreementApproval.objects.create(agreement=agreement, agency=party, approved_by=by)
    grants.sync_agreement(agreement)
    record_event("agreement_approved", agreement, details={"party": party.slug})
    return agreement


@transaction.atomic
def withdraw_agreement_approval(agreement: Agreement, party: Agency, *, by: User | None = None) -> Agreement:
    """A party withdraws: the agreement opens nothing from then on, until that party approves again."""
    _party_of(agreement, party, by)
    withdrawn, _ = agreement.approvals.filter(agency=party).delete()
    if not withdrawn:
        raise ValidationError("Your agency has not approved this agreement.")
    grants.sync_agreement(agreement)
    record_event("agreement_approval_withdrawn", agreement, details={"party": party.slug})
    return agreement


def _check_agreement_as_recorded_by_staff(
    user: User, name: str, categories: list[str], starts_on: date, ends_on: date | None
) -> None:
    if not access.may_record_agreement(user):
        raise PermissionDenied("Only agency administrators and partnership coordinators record agreements.")
    if not name.strip():
        raise ValidationError({"name": "Give the agreement the name it has on paper."})
    part2 = [Category(c).label for c in categories if c in PART2_CATEGORIES]
    if part2:
        raise ValidationError(
            {
                "categories": f"An agreement cannot open Part 2 information ({', '.join(part2)}): "
                "only the person's consent or a court order can. Untick those categories."
            }
        )
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The agreement would end before it starts."})


def agreement_part2_categories(agreement: Agreement) -> list[str]:
    """The categories an agreement names that it cannot open, because Part 2 protects them."""
    return [c for c in agreement.categories if c in PART2_CATEGORIES]


@transaction.atomic
def open_emergency_access(user: User, subject: Person, program: Agency, reason: str, *, on: date | None = None):
    """Break the glass (§2.51): medical roles only, a reason, and the program is told at once."""
    if not access.may_open_emergency_access(user):
        raise PermissionDenied("Only medical personnel may use medical-emergency access.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what the medical emergency is."})
    day = on or timezone.localdate()
    emergency = EmergencyAccess.objects.create(
        user=user,
        subject=subject,
        program=program,
        reason=reason.strip(),
        opened_on=day,
        ends_on=day + EMERGENCY_LENGTH,
    )
    grants.sync_emergency(emergency)
    record_event("emergency_access", emergency, details={"subject": subject.pk, "program": program.slug})
    notify_program_of_emergency(emergency)
    return emergency


def notify_program_of_emergency(access: EmergencyAccess) -> None:
    """The program is told at once (§2.51), in familybridge and by email: those who review its emergency log."""
    recipients = User.objects.filter(
        agency=access.program,
        is_active=True,
        staff_roles__role__in=EMERGENCY_LOG_ROLES,
    ).distinct()
    for recipient in recipients:
        notify(
            recipient,
            NotificationKind.EMERGENCY_ACCESS,
            f"{access.user} ({access.user.agency}) opened your records of {access.subject} for a medical emergency "
            f"on {us_date(access.opened_on)}. Reason given: {access.reason}"[:300],
            dedupe_key=f"emergency:{access.pk}",
        )


@transaction.atomic
def request_restriction(
    *, subject: Person, program: Agency, request: str, recorded_by: User | None = None, on: date | None = None
) -> RestrictionRequest:
    """A person's request to restrict (§2.26), recorded by the program's own treatment staff."""
    if recorded_by is not None and not access.may_handle_restrictions(recorded_by, program):
        raise PermissionDenied("Only the program's treatment staff record requests made to it.")
    if not request.strip():
        raise ValidationError({"request": "Say what the person asks not to be disclosed."})
    return RestrictionRequest.objects.create(
        subject=subject,
        program=program,
        request=request.strip(),
        requested_on=on or timezone.localdate(),
        recorded_by=recorded_by,
    )


@transaction.atomic
def decide_restriction(
    restriction: RestrictionRequest,
    *,
    agree: bool,
    recipients: list[Agency] = (),
    categories: list[str] = (),
    decided_by: User | None = None,
) -> RestrictionRequest:
    """An agreed restriction closes the consents' grants it covers from the program (orders are unaffected).

    Agreeing without naming recipients or categories restricts every recipient or every category.
    """
    if decided_by is not None and not access.may_handle_restrictions(decided_by, restriction.program):
        raise PermissionDenied("Only the program's treatment staff decide requests made to it.")
    if restriction.status != RestrictionRequest.Status.PENDING:
        raise ValidationError("This request was already decided.")
    unknown = [c for c in categories if c not in Category.values]
    if unknown:
        raise ValidationError({"categories": f"Unknown categories: {', '.join(unknown)}."})
    restriction.status = RestrictionRequest.Status.AGREED if agree else RestrictionRequest.Status.REFUSED
    restriction.restricted_categories = list(categories) if agree else []
    restriction.decided_by = decided_by
    restriction.decided_on = timezone.localdate()
    restriction.save(update_fields=["status", "restricted_categories", "decided_by", "decided_on"])
    restriction.restricted_recipients.set(recipients if agree else [])
    grants.sync_subject(restriction.subject_id)
    record_event("restriction_decided", restriction, details={"agreed": agree})
    return restriction


@transaction.atomic
def file_child_abuse_report(
    reporter: User, *, child: Person, family: Family | None, child_welfare_agency: Agency, summary: str
) -> ChildWelfareReport:
    """The §2.12 path: the initial report becomes child welfare's own record; no treatment record goes with it."""
    if not access.may_file_child_abuse_report(reporter):
        raise PermissionDenied("Only a treatment program's treatment staff file reports here.")
    if child_welfare_agency.kind != AgencyKind.CHILD_WELFARE:
        raise ValidationError("Reports go to a child welfare agency.")
    if not summary.strip():
        raise ValidationError({"summary": "Describe what makes you suspect abuse or neglect."})
    report = ChildWelfareReport.objects.create(
        owner_agency=child_welfare_agency,
        subject=child,
        family=family,
        report_date=timezone.localdate(),
        disposition=Disposition.OTHER,
        summary=summary.strip(),
        recorded_by=reporter,
    )
    ChildAbuseReportFiling.objects.create(
        reporter=reporter, program=reporter.agency, child_welfare_agency=child_welfare_agency, report=report
    )
    record_event("child_abuse_report_filed", report)
    return report
