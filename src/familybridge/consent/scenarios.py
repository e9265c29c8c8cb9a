"""Policy scenario files: a partnership's sharing set-up and the questions it expects answered.

A scenario (YAML or JSON, the same shape; see docs/tasks/policy-scenarios.md) is loaded through the
real models and services into the current database, then each check asks the real policy point.
`evaluate` never looks at a check's `expect`; `mismatches` compares afterwards.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from familybridge.agencies.models import Agency, AgencyKind, Partnership, StaffRole, User
from familybridge.agencies.roles import ASSIGNABLE_ROLES, ROLES_BY_AGENCY_KIND, Purpose, Role, roles_that_do_not_fit
from familybridge.consent import grants, policy, services
from familybridge.consent.categories import Category
from familybridge.consent.models import (
    REVOCATION_STATEMENT,
    BasisKind,
    Consent,
    ConsentKind,
    ExpiryEvent,
    Grant,
    ScenarioRecord,
)
from familybridge.consent.validation import ConsentTerms, missing_elements
from familybridge.people import services as people_services
from familybridge.people.models import (
    CaseloadAssignment,
    Family,
    FamilyMember,
    MemberRole,
    Person,
    derive_provenance,
)

REQUIRED = {
    "agencies": ("id", "kind"),
    "users": ("id", "agency", "roles"),
    "people": ("id", "birth_date"),
    "families": ("id", "members"),
    "caseloads": ("user",),
    "records": ("id", "owner", "subject", "category", "date"),
    "consents": ("id", "subject", "discloser", "recipients", "purposes", "categories", "kind", "signed", "signer"),
    "court_orders": ("id", "subject", "discloser", "recipients", "categories", "purposes", "issued", "ends"),
    "agreements": ("id", "parties", "categories", "purposes", "starts", "ends"),
    "events": ("subject", "kind", "date"),
    "emergencies": ("user", "subject", "program", "reason", "on"),
    "restrictions": ("subject", "program"),
    "checks": ("user", "record", "purpose", "on"),
}
OPTIONAL_SECTIONS = {"court_orders", "agreements", "events", "emergencies", "restrictions"}
CLASS_PREFIX = "class:"


class ScenarioLoader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true and false. YAML 1.1 would read the key `on` as True."""


ScenarioLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ScenarioLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class ScenarioError(ValueError):
    """The file is not a valid scenario; the message says where and what."""


def parse(text: str) -> dict:
    """YAML or JSON (JSON is YAML's subset, but JSON is parsed as JSON for its clearer errors)."""
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, Loader=ScenarioLoader)  # noqa: S506 (a safe loader)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise ScenarioError(f"Not valid YAML or JSON: {error}") from error
    if not isinstance(data, dict):
        raise ScenarioError("A scenario is a mapping with the keys agencies, users, people, ... and checks.")
    check_shape(data)
    return data


def check_shape(data: dict) -> None:
    unknown = set(data) - set(REQUIRED)
    if unknown:
        raise ScenarioError(f"Unknown sections: {', '.join(sorted(unknown))}.")
    for section, keys in REQUIRED.items():
        if section not in data:
            if section in OPTIONAL_SECTIONS:
                continue
            raise ScenarioError(f"Missing section {section!r}.")
        items = data[section] or []
        if not isinstance(items, list):
            raise ScenarioError(f"{section}: must be a list.")
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise ScenarioError(f"{section}[{index}]: must be a mapping.")
            missing = [key for key in keys if key not in item]
            if missing:
                raise ScenarioError(f"{section}[{index}]: missing {', '.join(repr(k) for k in missing)}.")


def _day(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ScenarioError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD).") from error


def _moment(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _choices(values: list, allowed: list[str], where: str, what: str) -> list[str]:
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise ScenarioError(f"{where}: unknown {what} {', '.join(map(str, wrong))}; use {', '.join(allowed)}.")
    return [str(v) for v in values]


@dataclass
class Loaded:
    """The scenario's ids mapped to the objects made for them."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    records: dict[str, ScenarioRecord] = field(default_factory=dict)
    basis_ids: dict[tuple[str, int], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def get(self, table: str, key: Any, where: str) -> Any:
        try:
            return getattr(self, table)[str(key)]
        except KeyError:
            raise ScenarioError(f"{where}: no {table[:-1] if table != 'people' else 'person'} {key!r}.") from None

    def agencies_named(self, values: Any, where: str) -> tuple[list[Agency], str]:
        """Agency ids, and at most one class written as class:KIND (e.g. class:court)."""
        agencies, kind = [], ""
        for value in _list(values):
            if str(value).startswith(CLASS_PREFIX):
                kind = _choices([str(value)[len(CLASS_PREFIX) :]], AgencyKind.values, where, "agency kind")[0]
            else:
                agencies.append(self.get("agencies", value, where))
        return agencies, kind


def load(data: dict) -> Loaded:
    """Create everything the scenario describes, through the real models and services, in one transaction."""
    loaded = Loaded()
    with transaction.atomic():
        _load_parties(data, loaded)
        _load_bases(data, loaded)
    return loaded


def _load_parties(data: dict, loaded: Loaded) -> None:
    partnership = Partnership.objects.create(name="Scenario partnership", slug="scenario", jurisdiction="Scenario")
    for i, item in enumerate(data["agencies"]):
        where = f"agencies[{i}]"
        kind = _choices([item["kind"]], AgencyKind.values, where, "kind")[0]
        loaded.agencies[str(item["id"])] = Agency.objects.create(
            name=item.get("name", str(item["id"])),
            slug=f"s-{i}",
            kind=kind,
            is_part2_program=bool(item.get("part2", False)),
        )
    partnership.agencies.add(*loaded.agencies.values())
    for i, item in enumerate(data["users"]):
        where = f"users[{i}]"
        roles = _choices(_list(item["roles"]), Role.values, where, "role")
        agency = loaded.get("agencies", item["agency"], where)
        misfits = roles_that_do_not_fit(roles, agency.kind)
        if misfits:
            fitting = ", ".join(ROLES_BY_AGENCY_KIND[agency.kind])
            raise ScenarioError(
                f"{where}: a {agency.kind} agency has no {', '.join(misfits)} role; its roles are {fitting}."
            )
        user = User.objects.create(username=str(item["id"]), agency=agency)
        StaffRole.objects.bulk_create(StaffRole(user=user, role=role) for role in roles)
        loaded.users[str(item["id"])] = user
    for i, item in enumerate(data["people"]):
        loaded.people[str(item["id"])] = Person.objects.create(
            first_name=str(item["id"]), last_name="Scenario", birth_date=_day(item["birth_date"], f"people[{i}]")
        )
    default_owner = next(
        (a for a in loaded.agencies.values() if a.kind == AgencyKind.CHILD_WELFARE),
        next(iter(loaded.agencies.values())),
    )
    for i, item in enumerate(data["families"]):
        where = f"families[{i}]"
        owner = loaded.get("agencies", item["agency"], where) if "agency" in item else default_owner
        family = Family.objects.create(name=str(item["id"]), owner_agency=owner, opened_on=date(2000, 1, 1))
        for j, member in enumerate(item["members"] or []):
            role = _choices([member.get("role", "")], MemberRole.values, f"{where}.members[{j}]", "role")[0]
            person = loaded.get("people", member.get("person"), f"{where}.members[{j}]")
            FamilyMember.objects.create(owner_agency=owner, subject=person, family=family, role=role)
        loaded.families[str(item["id"])] = family
    for i, item in enumerate(data["caseloads"]):
        where = f"caseloads[{i}]"
        if "family" not in item and "client" not in item:
            raise ScenarioError(f"{where}: name the `family` worked (a caseload, a judge's docket) or the `client`.")
        staff = loaded.get("users", item["user"], where)
        CaseloadAssignment.objects.create(
            family=loaded.get("families", item["family"], where) if "family" in item else None,
            client=loaded.get("people", item["client"], where) if "client" in item else None,
            staff=staff,
            capacity=next((role for role in ASSIGNABLE_ROLES if role in staff.role_codes), ""),
            assigned_on=_day(item.get("since"), where) or date(2000, 1, 1),
            ended_on=_day(item.get("until"), where),
        )
    for i, item in enumerate(data["records"]):
        where = f"records[{i}]"
        loaded.records[str(item["id"])] = ScenarioRecord.objects.create(
            owner_agency=loaded.get("agencies", item["owner"], where),
            subject=loaded.get("people", item["subject"], where),
            category=_choices([item["category"]], Category.values, where, "category")[0],
            label=str(item["id"]),
            recorded_on=_day(item["date"], where),
            **_provenance(item, where, loaded),
        )


def _provenance(item: dict, where: str, loaded: Loaded) -> dict:
    """`derived_from: <record id>`, a record listed before this one: the new record carries its provenance."""
    source = item.get("derived_from")
    if source is None:
        return {}
    if str(source) not in loaded.records:
        raise ScenarioError(f"{where}.derived_from: no record {source!r} listed before this one.")
    return derive_provenance(loaded.records[str(source)])


def _load_bases(data: dict, loaded: Loaded) -> None:
    for i, item in enumerate(data["consents"]):
        _load_consent(item, f"consents[{i}]", loaded)
    for i, item in enumerate(data.get("court_orders") or []):
        where = f"court_orders[{i}]"
        disclosers, _ = loaded.agencies_named(item["discloser"], f"{where}.discloser")
        recipients, _ = loaded.agencies_named(item["recipients"], f"{where}.recipients")
        order = _service(
            where,
            services.record_court_order,
            subject=loaded.get("people", item["subject"], where),
            court_name=str(item.get("court", "Scenario court")),
            case_number=str(item.get("case_number", item["id"])),
            judge_name=str(item.get("judge", "Scenario judge")),
            issued_on=_day(item["issued"], where),
            ends_on=_day(item["ends"], where),
            disclosers=disclosers,
            recipients=recipients,
            categories=_choices(_list(item["categories"]), Category.values, where, "category"),
            purposes=_choices(_list(item["purposes"]), Purpose.values, where, "purpose"),
        )
        loaded.basis_ids[(BasisKind.COURT_ORDER, order.pk)] = str(item["id"])
    for i, item in enumerate(data.get("agreements") or []):
        where = f"agreements[{i}]"
        parties, _ = loaded.agencies_named(item["parties"], f"{where}.parties")
        approving = parties
        if "approved_by" in item:
            approving, _ = loaded.agencies_named(item["approved_by"], f"{where}.approved_by")
            strangers = [agency.name for agency in approving if agency not in parties]
            if strangers:
                raise ScenarioError(f"{where}.approved_by: {', '.join(strangers)} is not a party.")
        agreement = _service(
            where,
            services.record_agreement,
            name=str(item["id"]),
            parties=parties,
            categories=_choices(_list(item["categories"]), Category.values, where, "category"),
            purposes=_choices(_list(item["purposes"]), Purpose.values, where, "purpose"),
            starts_on=_day(item["starts"], where),
            ends_on=_day(item["ends"], where),
            approving_parties=approving,
        )
        loaded.basis_ids[(BasisKind.AGREEMENT, agreement.pk)] = str(item["id"])
        if len(approving) < len(parties):
            loaded.notes.append(f"{where}: not approved by every party, so it opens nothing.")
        closed = services.agreement_part2_categories(agreement)
        if closed:
            loaded.notes.append(f"{where}: an agreement cannot open Part 2 categories ({', '.join(closed)}).")
    for i, item in enumerate(data.get("restrictions") or []):
        where = f"restrictions[{i}]"
        program = loaded.get("agencies", item["program"], where)
        recipients, _ = loaded.agencies_named(item.get("recipients"), f"{where}.recipients")
        restriction = services.request_restriction(
            subject=loaded.get("people", item["subject"], where),
            program=program,
            request=str(item.get("request", "Restriction from the scenario")),
        )
        services.decide_restriction(
            restriction,
            agree=item.get("agreed", True),
            recipients=recipients,
            categories=_choices(_list(item.get("categories")), Category.values, where, "category"),
        )
    for i, item in enumerate(data.get("emergencies") or []):
        where = f"emergencies[{i}]"
        user = loaded.get("users", item["user"], where)
        if not user.is_medical_personnel:
            raise ScenarioError(
                f"{where}: {user.username} is not medical personnel; only clinicians of a health agency and "
                "counselors or clinical supervisors of a treatment program open medical-emergency access (§2.51)."
            )
        try:
            access = services.open_emergency_access(
                user,
                loaded.get("people", item["subject"], where),
                loaded.get("agencies", item["program"], where),
                str(item["reason"] or ""),
                on=_day(item["on"], where),
            )
        except (PermissionDenied, ValidationError) as error:
            loaded.notes.append(f"{where}: refused: {_message(error)}")
        else:
            loaded.basis_ids[(BasisKind.EMERGENCY, access.pk)] = str(item.get("id", f"emergency{i}"))
    for i, item in enumerate(data.get("events") or []):
        where = f"events[{i}]"
        subject = loaded.get("people", item["subject"], where)
        kind = _choices([item["kind"]], ExpiryEvent.values, where, "event")[0]
        day = _day(item["date"], where)
        services.record_subject_event(subject, kind, day)
        # The same events end assignments: a discharge from a `program`, the closing of a `family`'s case.
        if kind == ExpiryEvent.DISCHARGED and "program" in item:
            people_services.end_for_discharge(loaded.get("agencies", item["program"], where).pk, subject.pk, day)
        if kind == ExpiryEvent.CASE_CLOSED and "family" in item:
            people_services.end_for_closed_case(loaded.get("families", item["family"], where), day)


def _load_consent(item: dict, where: str, loaded: Loaded) -> None:
    subject = loaded.get("people", item["subject"], where)
    disclosers, discloser_class = loaded.agencies_named(item["discloser"], f"{where}.discloser")
    recipients, recipient_staff, recipient_class = [], [], ""
    for value in _list(item["recipients"]):
        if str(value) in loaded.users and str(value) not in loaded.agencies:
            recipient_staff.append(loaded.users[str(value)])
        else:
            named, kind = loaded.agencies_named([value], f"{where}.recipients")
            recipients += named
            recipient_class = kind or recipient_class
    signer = loaded.get("people", item["signer"], f"{where}.signer") if item["signer"] is not None else None
    signed = _day(item["signed"], f"{where}.signed")
    terms = ConsentTerms(
        subject=subject,
        kind=_choices([item["kind"]], ConsentKind.values, where, "kind")[0],
        disclosers=disclosers,
        discloser_class=discloser_class,
        recipients=recipients,
        recipient_staff=recipient_staff,
        recipient_class=recipient_class,
        purposes=_choices(_list(item["purposes"]), Purpose.values, where, "purpose"),
        categories=_choices(_list(item["categories"]), Category.values, where, "category"),
        expires_on=_day(item.get("expires"), f"{where}.expires"),
        expires_on_event=_choices(
            _list(item.get("expires_on_event")), ExpiryEvent.values, f"{where}.expires_on_event", "event"
        )[0]
        if item.get("expires_on_event")
        else "",
        signer_name=str(signer) if signer else "",
        signer_relationship=item.get("signer_relationship", "self" if signer == subject else "parent"),
        signed_at=_moment(signed, time(12)) if signed else None,
        revocation_statement=item.get("revocation_statement", REVOCATION_STATEMENT),
    )
    recorder = loaded.get("users", item["recorded_by"], f"{where}.recorded_by") if item.get("recorded_by") else None
    consent = services.record_consent(terms, recorded_by=recorder, require_complete=False)
    problems = list(missing_elements(terms).values())
    if problems:
        loaded.notes.append(f"{where}: incomplete, so it opens nothing: {' '.join(problems)}")
    _verify_consent(consent, _day(item.get("verified"), f"{where}.verified"), where, loaded)
    revoked = _day(item.get("revoked"), f"{where}.revoked")
    if revoked:
        services.revoke_consent(consent, at=_moment(revoked, time(0)))
    loaded.basis_ids[(BasisKind.CONSENT, consent.pk)] = str(item["id"])


def _verify_consent(consent: Consent, verified: date | None, where: str, loaded: Loaded) -> None:
    """`verified: DATE` is every disclosing agency's verification that day; without it, those that did not
    record the consent have not verified it, and it opens nothing from them."""
    answered = set(consent.verifications.values_list("agency_id", flat=True))
    waiting = [agency for agency in grants.discloser_agencies(consent) if agency.pk not in answered]
    if not consent.signed_at or not waiting:
        return
    if verified is None:
        names = ", ".join(agency.name for agency in waiting)
        loaded.notes.append(f"{where}: recorded outside {names}, not verified, so it opens nothing from there.")
        return
    for agency in waiting:
        services.verify_consent(consent, agency, at=_moment(verified, time(12)))


def _service(where: str, function, **kwargs):
    try:
        return function(**kwargs)
    except ValidationError as error:
        raise ScenarioError(f"{where}: {_message(error)}") from error


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def evaluate(data: dict) -> tuple[list[dict], list[str]]:
    """Load the scenario and ask the policy point each check; the decisions, and notes about the set-up."""
    loaded = load(data)
    decisions = []
    for index, check in enumerate(data["checks"]):
        where = f"checks[{index}]"
        user = loaded.get("users", check["user"], where)
        record = loaded.get("records", check["record"], where)
        purpose = _choices([check["purpose"]], Purpose.values, where, "purpose")[0]
        items = policy.read(
            user,
            ScenarioRecord.objects.filter(pk=record.pk),
            purpose,
            on=_day(check["on"], where),
            disclose=False,
        )
        opened = [item for item in items if not isinstance(item, policy.Withheld)]
        decisions.append(
            {
                "check": index,
                "decision": "permit" if opened else "deny",
                "basis": _basis_name(opened[0].policy_basis, loaded) if opened else "none",
            }
        )
    return decisions, loaded.notes


def _basis_name(basis: policy.Basis, loaded: Loaded) -> str:
    if basis.grant_id is None:
        return basis.kind
    grant = Grant.objects.get(pk=basis.grant_id)
    return f"{grant.basis}:{loaded.basis_ids.get((grant.basis, grant.basis_id), grant.basis_id)}"


def mismatches(data: dict, decisions: list[dict]) -> list[str]:
    """Each check whose decision differs from its `expect`, said plainly."""
    problems = []
    for check, decision in zip(data["checks"], decisions, strict=True):
        expected = check.get("expect")
        if expected not in ("permit", "deny"):
            problems.append(f"check {decision['check']}: expect must be permit or deny, not {expected!r}.")
        elif expected != decision["decision"]:
            problems.append(
                f"check {decision['check']}: {check['user']} reading {check['record']} for {check['purpose']} "
                f"on {check['on']}: expected {expected}, got {decision['decision']} (basis: {decision['basis']})."
            )
    return problems
