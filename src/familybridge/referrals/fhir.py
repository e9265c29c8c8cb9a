"""A referral as FHIR R4 (fhir.resources' R4B models, the same for these resources): a ServiceRequest
(what child welfare or the court asked for) and a Task (where the provider is in the closed loop)."""

from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from familybridge.referrals.models import ReferralStatus
from familybridge.referrals.selectors import ReferralView

# The closed-loop statuses as FHIR Task.status and businessStatus.
TASK_STATUS = {
    ReferralStatus.RECEIVED: "received",
    ReferralStatus.ACCEPTED: "accepted",
    ReferralStatus.DECLINED: "rejected",
    ReferralStatus.ASSESSMENT_SCHEDULED: "in-progress",
    ReferralStatus.ASSESSED: "in-progress",
    ReferralStatus.ADMITTED: "completed",
    ReferralStatus.NOT_ENGAGED: "failed",
}
ASSESSMENT_CODE = {
    "system": "http://snomed.info/sct",
    "code": "703978000",
    "display": "Referral to substance abuse service",
}


# The confidentiality label for 42 CFR Part 2 information (HL7 v3 ActCode).
PART2_LABEL = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "42CFRPart2"}


def referral_bundle(view: ReferralView) -> dict[str, Any]:
    referral = view.referral
    request_id = f"referral-{referral.pk}"
    # The §2.32 notice travels with the export wherever the policy point attached it to what is exported.
    notice = next((n for r in (referral, *view.steps) if (n := getattr(r, "redisclosure_notice", ""))), "")
    labeled = {"meta": {"security": [PART2_LABEL]}, "note": [{"text": notice}]} if notice else {}
    service_request = ServiceRequest(
        **labeled,
        id=request_id,
        status="completed" if view.status == ReferralStatus.ADMITTED else "active",
        intent="order",
        code={"coding": [ASSESSMENT_CODE], "text": "SUD assessment and treatment"},
        subject={"reference": f"Patient/person-{referral.subject_id}", "display": str(referral.subject)},
        authoredOn=referral.referral_date.isoformat(),
        requester={"reference": f"Organization/{referral.referring_agency.slug}"}
        if referral.referring_agency
        else None,
        performer=[{"reference": f"Organization/{referral.owner_agency.slug}", "display": referral.owner_agency.name}],
        reasonCode=[{"text": referral.reason}] if referral.reason else None,
    )
    task = Task(
        **labeled,
        id=f"referral-task-{referral.pk}",
        status=TASK_STATUS[view.status],
        businessStatus={"text": ReferralStatus(view.status).label},
        intent="order",
        basedOn=[{"reference": f"ServiceRequest/{request_id}"}],
        focus={"reference": f"ServiceRequest/{request_id}"},
        for_fhir={"reference": f"Patient/person-{referral.subject_id}"},
        owner={"reference": f"Organization/{referral.owner_agency.slug}"},
        authoredOn=view.steps[0].occurred_at.isoformat() if view.steps else None,
        lastModified=view.steps[-1].occurred_at.isoformat() if view.steps else None,
        statusReason={"text": view.steps[-1].note} if view.steps and view.steps[-1].note else None,
    )
    bundle = Bundle(
        type="collection",
        entry=[{"resource": service_request}, {"resource": task}],
    )
    return bundle.model_dump(mode="json", exclude_none=True)
