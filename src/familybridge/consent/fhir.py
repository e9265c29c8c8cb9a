"""Consents as FHIR R4 `Consent` resources (fhir.resources, R4B: the R4 Consent structure)."""

from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent as FhirConsent

from familybridge.consent.models import Consent

CATEGORY_SYSTEM = "https://familybridge.org/fhir/CodeSystem/information-category"
PURPOSE_SYSTEM = "https://familybridge.org/fhir/CodeSystem/purpose"
KIND_SYSTEM = "https://familybridge.org/fhir/CodeSystem/consent-kind"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
FHIR_STATUS = {"active": "active", "unsigned": "draft", "revoked": "inactive", "expired": "inactive"}


def _organization(agency: Any) -> dict:
    return {"reference": f"Organization/{agency.slug}", "display": agency.name}


def consent_resource(consent: Consent) -> FhirConsent:
    """One consent, validated by fhir.resources as it is built."""
    status = FHIR_STATUS.get(consent.status_on(timezone.localdate()), "proposed")
    actors = (
        [
            {"role": {"coding": [{"system": PARTICIPATION, "code": "CST", "display": "custodian"}]}, "reference": org}
            for org in map(_organization, consent.disclosers.all())
        ]
        + [
            {
                "role": {"coding": [{"system": PARTICIPATION, "code": "IRCP", "display": "information recipient"}]},
                "reference": org,
            }
            for org in map(_organization, consent.recipients.all())
        ]
        + [
            {
                "role": {"coding": [{"system": PARTICIPATION, "code": "IRCP", "display": "information recipient"}]},
                "reference": {"reference": f"Practitioner/{staff.pk}", "display": str(staff)},
            }
            for staff in consent.recipient_staff.all()
        ]
    )
    period = {"start": consent.signed_on.isoformat()} if consent.signed_on else {}
    if consent.last_effective_day:
        period["end"] = consent.last_effective_day.isoformat()
    resource = {
        "resourceType": "Consent",
        "id": str(consent.pk),
        "status": status,
        "scope": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]
        },
        "category": [
            {"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]},
            {"coding": [{"system": KIND_SYSTEM, "code": consent.kind, "display": consent.get_kind_display()}]},
        ],
        "patient": {"reference": f"Patient/{consent.subject_id}", "display": str(consent.subject)},
        "performer": [{"display": consent.signer_name}] if consent.signer_name else None,
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"}]},
        "provision": {
            "type": "permit",
            "actor": actors or None,
            "purpose": [{"system": PURPOSE_SYSTEM, "code": p} for p in consent.purposes] or None,
            "code": [
                {"coding": [{"system": CATEGORY_SYSTEM, "code": c}], "text": label}
                for c, label in zip(consent.categories, consent.category_labels, strict=True)
            ]
            or None,
            "period": period or None,
        },
    }
    if consent.signed_at:
        resource["dateTime"] = consent.signed_at.isoformat()
    return FhirConsent.model_validate(_without_none(resource))


def consents_bundle(consents: list[Consent]) -> Bundle:
    entries = [{"resource": consent_resource(c).model_dump(mode="json")} for c in consents]
    return Bundle.model_validate(
        _without_none({"resourceType": "Bundle", "type": "collection", "entry": entries or None})
    )


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value
