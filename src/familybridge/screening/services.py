"""Writes for screening: administering a screen, the SAFERR next step, clinical assessments,
one-time links, and a partnership's cut-offs, urgent protocol and imported instruments."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from familybridge.agencies.models import AgencyKind, Partnership, User
from familybridge.agencies.roles import ASSESSMENT_ROLES, SCREENING_ROLES, Role
from familybridge.audit.services import record_event
from familybridge.cases.services import RecordKind, register_kind
from familybridge.consent import policy
from familybridge.consent.categories import Category
from familybridge.dates import us_date
from familybridge.messaging.models import NotificationKind
from familybridge.messaging.services import notify
from familybridge.people.models import Family, Person, ProtectedRecord, Sex, derive_provenance
from familybridge.screening import instruments, selectors
from familybridge.screening.instruments import CUTOFF_KEYS, Instrument, InstrumentError
from familybridge.screening.models import (
    AdministrationMode,
    ClinicalAssessment,
    CutoffSetting,
    ImportedInstrument,
    NextStep,
    PartnershipScreeningSettings,
    SafetyFollowUp,
    ScreeningInvitation,
    ScreeningResult,
)
from familybridge.screening.scoring import AnswerError, Score, score

SCORE_URL = "https://familybridge.dev/fhir/StructureDefinition/screening-score"
LOINC = "http://loinc.org"
INVITATION_LIFETIME = timedelta(hours=48)
SEX_FOR_SCORING = {Sex.FEMALE: "female", Sex.MALE: "male"}


@dataclass(frozen=True)
class Observations:
    """What staff saw beside the screen; any of them calls for immediate action whatever the score."""

    intoxication: bool = False
    withdrawal: bool = False
    impaired_functioning: bool = False
    note: str = ""

    @property
    def any(self) -> bool:
        return self.intoxication or self.withdrawal or self.impaired_functioning


def next_step(result: Score, observations: Observations) -> NextStep:
    """SAFERR: observed impairment or a safety flag → urgent protocol; a positive screen or any other
    flag → refer for assessment; otherwise no action."""
    if observations.any or "safety" in result.flags:
        return NextStep.URGENT
    if result.positive or result.flags:
        return NextStep.REFER
    return NextStep.NONE


def scoring_sex(person: Person, stated: str | None = None) -> str | None:
    """The sex used for sex-specific cut-offs: as stated at the screen, else as recorded."""
    return stated or SEX_FOR_SCORING.get(person.sex)


def ensure_may_screen(user: User, family: Family, subject: Person, purpose: str) -> None:
    if not user.has_role(*SCREENING_ROLES):
        raise PermissionDenied("Your role does not administer screens.")
    if subject not in selectors.screenable_people(user, family, purpose):
        raise PermissionDenied("You can screen only a parent or caregiver of a family you work.")


def questionnaire_response(
    instrument: Instrument, result: Score, subject: Person, author: User | None, authored: datetime
) -> dict[str, Any]:
    """The screen as a FHIR R4 QuestionnaireResponse, its computed score in an extension; validated."""
    items = []
    for item, answer in zip(instrument.items, result.answers, strict=True):
        if answer is None:
            continue
        if item.type == "choice":
            option = item.options[answer]
            value: dict[str, Any] = {
                "valueCoding": {"system": option.system, "code": option.code, "display": option.display}
            }
        else:
            value = {"valueInteger": answer}
        items.append({"linkId": item.link_id, "text": instrument.item_text(item, result.variant), "answer": [value]})
    score_parts: list[dict[str, Any]] = [
        {"url": "instrumentVersion", "valueString": instrument.version},
        {"url": "positive", "valueBoolean": result.positive},
    ]
    if result.total is not None:
        score_parts.append({"url": "total", "valueInteger": result.total})
        if instrument.total_loinc:
            score_parts.append({"url": "totalCode", "valueCoding": {"system": LOINC, "code": instrument.total_loinc}})
    if result.band:
        score_parts.append({"url": "band", "valueCoding": {"code": result.band, "display": result.band_display}})
    score_parts += [{"url": "flag", "valueCode": flag} for flag in result.flags]
    score_parts += [{"url": "cutoff", "valueString": f"{name}={value}"} for name, value in result.cutoffs_used.items()]
    if result.variant:
        score_parts.append({"url": "variant", "valueCode": result.variant})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(uuid.uuid4()),
        "questionnaire": f"{instrument.url}|{instrument.version}" if instrument.url else instrument.id,
        "status": "completed",
        "subject": {"display": str(subject)},
        "authored": authored.isoformat(),
        "extension": [{"url": SCORE_URL, "extension": score_parts}],
        "item": items,
    }
    if author is not None:
        resource["author"] = {"display": str(author)}
    QuestionnaireResponse.model_validate(resource)
    return resource


def _record_result(
    *,
    owner: Any,
    family: Family,
    subject: Person,
    instrument: Instrument,
    answers: list[Any],
    administered_by: User | None,
    recorded_by: User | None,
    administered_on: date,
    sex: str | None,
    variant: str | None,
    observations: Observations,
    mode: str,
) -> ScreeningResult:
    partnership = selectors.partnership_of(owner)
    age = subject.age_on(administered_on)
    try:
        result = score(
            instrument,
            answers,
            sex=scoring_sex(subject, sex),
            age=age,
            variant=variant,
            cutoff_overrides=selectors.cutoff_overrides(partnership, instrument.id),
        )
    except AnswerError as error:
        raise ValidationError(str(error)) from None
    authored = timezone.now()
    recorded = ScreeningResult.objects.create(
        owner_agency=owner,
        subject=subject,
        category=Category.SUD_ASSESSMENT if owner.is_part2_program else Category.SCREENING_RESULT,
        family=family,
        instrument=instrument.id,
        instrument_title=instrument.title,
        instrument_version=instrument.version,
        administered_on=administered_on,
        administered_by=administered_by,
        recorded_by=recorded_by,
        mode=mode,
        answers=result.answers,
        total=result.total,
        max_total=instrument.max_total if result.total is not None else None,
        band=result.band or "",
        band_display=result.band_display or "",
        positive=result.positive,
        flags=result.flags,
        positive_items=result.positive_items,
        cutoffs_used=result.cutoffs_used,
        sex=result.sex or "",
        variant=result.variant or "",
        observed_intoxication=observations.intoxication,
        observed_withdrawal=observations.withdrawal,
        observed_impaired_functioning=observations.impaired_functioning,
        observation_note=observations.note.strip(),
        next_step=next_step(result, observations),
        questionnaire_response=questionnaire_response(instrument, result, subject, administered_by, authored),
    )
    if recorded.next_step == NextStep.URGENT:
        alert_safety_flag(recorded)
    return recorded


def alert_text(result: ScreeningResult) -> str:
    """The alert, written from what every recipient may see (the screen itself): whose screen and when, never
    its answers, score or which item raised the flag."""
    if result.mode == AdministrationMode.PARENT_DEVICE:
        where = f"the screen {result.subject} answered on their own device on {us_date(result.administered_on)}"
    else:
        where = f"{result.subject}'s screen of {us_date(result.administered_on)}"
    return f"Safety flag on {where}: follow up now and record what was done."


def alert_safety_flag(result: ScreeningResult) -> list[User]:
    """Notify, in the app and by email (on commit), those who must act on a safety flag
    (`selectors.safety_alert_recipients`), and audit whom. Returns them."""
    recipients = selectors.safety_alert_recipients(result)
    link = reverse("screening:result", args=[result.pk])
    for recipient in recipients:
        notify(
            recipient,
            NotificationKind.SAFETY_FLAG,
            alert_text(result),
            link=link,
            dedupe_key=f"safety-flag:{result.pk}",
        )
    record_event("safety_alert", result, details={"notified": [recipient.pk for recipient in recipients]})
    return recipients


def _screen_rules(user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None) -> dict:
    """What a screen's writer states (the answers are scored, not stated): the day and what staff observed."""
    administered_on = values["administered_on"]
    if administered_on > timezone.localdate():
        raise ValidationError({"administered_on": "The screening date cannot be in the future."})
    return {"administered_on": administered_on, "observation_note": values.get("observation_note", "").strip()}


def administer_screen(
    user: User,
    *,
    family: Family,
    subject: Person,
    instrument_id: str,
    answers: list[Any],
    purpose: str,
    sex: str | None = None,
    variant: str | None = None,
    observations: Observations | None = None,
    administered_on: date | None = None,
) -> ScreeningResult:
    """Score and store a screen a staff member administered; ValidationError names what is wrong."""
    ensure_may_screen(user, family, subject, purpose)
    instrument = selectors.instrument_for(selectors.partnership_of(user.agency), instrument_id)
    if instrument is None:
        raise ValidationError(f"Unknown instrument {instrument_id!r}.")
    observations = observations or Observations()
    stated = {"administered_on": administered_on or timezone.localdate(), "observation_note": observations.note}
    checked = _screen_rules(user, family, stated, None)
    with transaction.atomic():
        return _record_result(
            owner=user.agency,
            family=family,
            subject=subject,
            instrument=instrument,
            answers=answers,
            administered_by=user,
            recorded_by=user,
            administered_on=checked["administered_on"],
            sex=sex,
            variant=variant,
            observations=observations,
            mode=AdministrationMode.STAFF,
        )


def create_invitation(
    user: User, *, family: Family, subject: Person, instrument_id: str, purpose: str
) -> tuple[ScreeningInvitation, str]:
    """A one-time link for the parent's own device; returns the invitation and the token (shown once)."""
    ensure_may_screen(user, family, subject, purpose)
    instrument = selectors.instrument_for(selectors.partnership_of(user.agency), instrument_id)
    if instrument is None:
        raise ValidationError(f"Unknown instrument {instrument_id!r}.")
    if instrument.one_item_at_a_time:
        raise ValidationError(f"{instrument.title} is a brief oral screen: ask it in person.")
    token = secrets.token_urlsafe(32)
    invitation = ScreeningInvitation.objects.create(
        owner_agency=user.agency,
        subject=subject,
        category=Category.SUD_ASSESSMENT if user.agency.is_part2_program else Category.SCREENING_RESULT,
        family=family,
        instrument=instrument.id,
        token_hash=selectors.token_hash(token),
        created_by=user,
        recorded_by=user,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    return invitation, token


def complete_invitation(token: str, answers: list[Any]) -> ScreeningResult:
    """The parent's answers through a one-time link, stored as a screen by the staff member who sent it."""
    with transaction.atomic():
        invitation = selectors.open_invitation(token)
        if invitation is None:
            raise PermissionDenied("This link has been used or has expired.")
        invitation = ScreeningInvitation.unrestricted.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise PermissionDenied("This link has been used or has expired.")
        instrument = selectors.instrument_for(selectors.partnership_of(invitation.owner_agency), invitation.instrument)
        result = _record_result(
            owner=invitation.owner_agency,
            family=invitation.family,
            subject=invitation.subject,
            instrument=instrument,
            answers=answers,
            administered_by=invitation.created_by,
            recorded_by=invitation.created_by,
            administered_on=timezone.localdate(),
            sex=None,
            variant=None,
            observations=Observations(),
            mode=AdministrationMode.PARENT_DEVICE,
        )
        invitation.used_at = timezone.now()
        invitation.result = result
        invitation.save(update_fields=["used_at", "result", "updated_at"])
        return result


def _follow_up_rules(
    user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None
) -> dict[str, Any]:
    """Every field of a follow-up, all checked before anything is saved: who, when (not before the screen was
    recorded, nor in the future) and what was done."""
    result = record.result if isinstance(record, SafetyFollowUp) else values["result"]
    contacted = (values.get("contacted") or "").strip()
    action = (values.get("action") or "").strip()
    contacted_at = values.get("contacted_at")
    errors: dict[str, str] = {}
    if not contacted:
        errors["contacted"] = "Say who was contacted, e.g. the parent by phone, or the crisis line."
    if contacted_at is None:
        errors["contacted_at"] = "Give the day and time of the contact."
    elif contacted_at > timezone.now():
        errors["contacted_at"] = "The contact cannot be in the future."
    elif timezone.localdate(contacted_at) < result.administered_on:
        errors["contacted_at"] = f"The contact cannot be before the screen, on {us_date(result.administered_on)}."
    if not action:
        errors["action"] = "Say what was done."
    if errors:
        raise ValidationError(errors)
    return {"contacted": contacted, "contacted_at": contacted_at, "action": action}


def record_follow_up(
    user: User, result: ScreeningResult, *, purpose: str, contacted: str, contacted_at: datetime | None, action: str
) -> SafetyFollowUp:
    """Record what was done about a safety flag; the flag then leaves the worklists of those who may see this
    follow-up. Held by the recorder's agency, derived from the screen. ValidationError names every field that is
    wrong, and nothing is saved."""
    if not user.has_role(*SCREENING_ROLES):
        raise PermissionDenied("Only staff who screen parents record the follow-up of a safety flag.")
    if not policy.permitted(user, ScreeningResult.objects.filter(pk=result.pk), purpose).exists():
        raise PermissionDenied("You may not see this screen.")
    if result.next_step != NextStep.URGENT:
        raise ValidationError("This screen raised no safety flag.")
    stated = {"result": result, "contacted": contacted, "contacted_at": contacted_at, "action": action}
    checked = _follow_up_rules(user, result.family, stated, None)
    follow_up = SafetyFollowUp(
        owner_agency=user.agency,
        subject=result.subject,
        category=Category.SUD_ASSESSMENT if user.agency.is_part2_program else Category.SCREENING_RESULT,
        family=result.family,
        result=result,
        recorded_by=user,
        **checked,
        **derive_provenance(result),
    )
    follow_up.validate_constraints()  # one per flag and agency, said in words before the database refuses it
    with transaction.atomic():
        follow_up.save()
    return follow_up


def record_assessment(
    user: User,
    *,
    family: Family,
    subject: Person,
    purpose: str,
    assessed_on: date,
    diagnosis: str,
    asam_level: str,
    recommendations: str,
) -> ClinicalAssessment:
    """A treatment professional's clinical assessment, held by their program as sud.assessment."""
    if not user.has_role(*ASSESSMENT_ROLES):
        raise PermissionDenied("Only counselors and clinical supervisors record clinical assessments.")
    if subject not in selectors.screenable_people(user, family, purpose):
        raise PermissionDenied("You can assess only a parent or caregiver of a family you work.")
    stated = {
        "assessed_on": assessed_on,
        "diagnosis": diagnosis,
        "asam_level": asam_level,
        "recommendations": recommendations,
    }
    checked = _assessment_rules(user, family, stated, None)
    with transaction.atomic():
        return ClinicalAssessment.objects.create(
            owner_agency=user.agency, subject=subject, family=family, assessed_by=user, recorded_by=user, **checked
        )


def _assessment_rules(
    user: User, family: Family, values: dict[str, Any], record: ProtectedRecord | None
) -> dict[str, Any]:
    if values["assessed_on"] > timezone.localdate():
        raise ValidationError({"assessed_on": "The assessment date cannot be in the future."})
    if not values["diagnosis"].strip():
        raise ValidationError({"diagnosis": "Write the diagnosis."})
    return {
        "assessed_on": values["assessed_on"],
        "diagnosis": values["diagnosis"].strip(),
        "asam_level": values["asam_level"],
        "recommendations": values["recommendations"].strip(),
    }


def ensure_coordinates(user: User, partnership: Partnership) -> None:
    if not user.has_role(Role.PARTNERSHIP_COORDINATOR) or not partnership.agencies.filter(pk=user.agency_id).exists():
        raise PermissionDenied("Only the partnership's coordinator changes its screening settings.")


def set_cutoff(
    user: User, partnership: Partnership, *, instrument_id: str, name: str, applies_to: str, value: int
) -> CutoffSetting:
    """Change one configurable cut-off for the partnership; later screens record the value they used."""
    ensure_coordinates(user, partnership)
    instrument = selectors.instrument_for(partnership, instrument_id)
    cutoff = instrument.cutoffs.get(name) if instrument else None
    if cutoff is None or not cutoff.configurable:
        raise ValidationError(f"{instrument_id} has no configurable cut-off named {name!r}.")
    if applies_to not in CUTOFF_KEYS or applies_to not in cutoff.values:
        raise ValidationError(f"The {name} cut-off of {instrument_id} has no value for {applies_to!r}.")
    highest = instrument.max_total
    if value < 0 or (highest is not None and value > highest):
        raise ValidationError(f"A cut-off of {instrument_id} must be between 0 and {highest}.")
    setting, _ = CutoffSetting.objects.update_or_create(
        partnership=partnership,
        instrument=instrument_id,
        name=name,
        applies_to=applies_to,
        defaults={"value": value, "changed_by": user},
    )
    return setting


def set_urgent_protocol(user: User, partnership: Partnership, text: str) -> PartnershipScreeningSettings:
    ensure_coordinates(user, partnership)
    if not text.strip():
        raise ValidationError({"urgent_protocol": "The urgent protocol cannot be empty."})
    settings, _ = PartnershipScreeningSettings.objects.update_or_create(
        partnership=partnership, defaults={"urgent_protocol": text.strip(), "updated_by": user}
    )
    return settings


def import_instrument(user: User, partnership: Partnership, text: str | bytes) -> Instrument:
    """Import a Questionnaire (with its scoring block) for the partnership, e.g. licensed item text.

    It replaces the instrument of the same id for this partnership from now on; earlier results keep
    the version they were scored with.
    """
    ensure_coordinates(user, partnership)
    try:
        instrument = instruments.parse_json(text)
    except InstrumentError as error:
        raise ValidationError(str(error)) from None
    built = instruments.built_in().get(instrument.id)
    if (built is not None and built.version == instrument.version) or ImportedInstrument.objects.filter(
        partnership=partnership, instrument=instrument.id, version=instrument.version
    ).exists():
        raise ValidationError(
            f"{instrument.id} version {instrument.version} is already in use; give the import a new version."
        )
    ImportedInstrument.objects.create(
        partnership=partnership,
        instrument=instrument.id,
        version=instrument.version,
        questionnaire=instrument.resource,
        imported_by=user,
    )
    return instrument


register_kind(
    RecordKind(
        "screen",
        "Screen",
        None,
        SCREENING_ROLES,
        administer_screen,
        ScreeningResult,
        ("administered_on", "observation_note"),
        _screen_rules,
        in_add_menu=False,
    )
)
register_kind(
    RecordKind(
        "safety-follow-up",
        "Follow-up of a safety flag",
        None,
        SCREENING_ROLES,
        record_follow_up,
        SafetyFollowUp,
        ("contacted", "contacted_at", "action"),
        _follow_up_rules,
        in_add_menu=False,
    )
)
register_kind(
    RecordKind(
        "assessment",
        "Clinical assessment",
        AgencyKind.SUD_TREATMENT,
        ASSESSMENT_ROLES,
        record_assessment,
        ClinicalAssessment,
        ("assessed_on", "diagnosis", "asam_level", "recommendations"),
        _assessment_rules,
        in_add_menu=False,
    )
)
