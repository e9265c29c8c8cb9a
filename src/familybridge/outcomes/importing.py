"""Importing a partnership extract into the tables the app itself writes.

`import_extract` validates every file whole (validation.py), then writes in one transaction: people
and their local identifiers (a crosswalk in links.csv makes a treatment or court person the same
Person as the child welfare one), families, reports, removal episodes and placements, referrals,
admissions, court cases and hearings, each owned by its system's agency with its category.
Re-importing the same extract changes nothing: rows are matched on the source system's ids.
"""

import csv
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Case, Exists, IntegerField, Model, OuterRef, Value, When
from django.utils import timezone
from django.utils.text import slugify

from familybridge.agencies.models import Agency, AgencyKind, Partnership
from familybridge.audit.services import record_event
from familybridge.cases.models import (
    ChildWelfareReport,
    CourtCase,
    Hearing,
    PlacementSetting,
    RemovalEpisode,
    TreatmentEpisode,
)
from familybridge.outcomes import bulk, extract
from familybridge.outcomes.validation import ExtractValidator, FileCheck, RowError, read_rows
from familybridge.people.matching import name_key
from familybridge.people.models import Family, FamilyMember, LocalIdentifier, Person
from familybridge.referrals.models import Referral

AGENCY_KIND = {"cw": AgencyKind.CHILD_WELFARE, "sud": AgencyKind.SUD_TREATMENT, "court": AgencyKind.COURT}
PERSON_FIELDS = ("first_name", "last_name", "birth_date", "sex", "zip_code")
# How the names sound, for the duplicate check and search (people.matching); computed here, as Person.save would.
NAME_KEY_FIELDS = ("first_name_key", "last_name_key")
# Records a linked person's earlier, separate identity held, moved onto the person they are.
PERSON_RECORD_MODELS = (
    LocalIdentifier,
    FamilyMember,
    ChildWelfareReport,
    RemovalEpisode,
    PlacementSetting,
    TreatmentEpisode,
    Referral,
    CourtCase,
    Hearing,
)


class NoProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


class ExtractRefused(Exception):
    """The extract cannot be imported as asked (not a folder, an agency of the wrong kind)."""


class ExtractInvalid(Exception):
    """The extract has errors and nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the extract; nothing was written.")


@dataclass
class FileSummary:
    name: str
    present: bool = False
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    @property
    def written(self) -> int:
        return self.inserted + self.updated


@dataclass
class PeopleCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    links: list[int] = field(default_factory=lambda: [0, 0, 0])  # inserted, updated, unchanged


@dataclass
class ImportSummary:
    partnership: Partnership
    agencies: dict[str, Agency]
    files: dict[str, FileSummary]
    errors: list[RowError] = field(default_factory=list)
    rejects_folder: Path | None = None

    @property
    def rows_read(self) -> int:
        return sum(f.read for f in self.files.values())

    @property
    def rows_written(self) -> int:
        return sum(f.written for f in self.files.values())

    @property
    def rows_rejected(self) -> int:
        return sum(f.rejected for f in self.files.values())


# --- agencies ----------------------------------------------------------------------------------
def _existing_agencies(partnership_slug: str, agency_slugs: dict[str, str]) -> dict[str, Agency | None]:
    slugs = {system: agency_slugs.get(system) or f"{partnership_slug}-{system}" for system in extract.SYSTEMS}
    found = {a.slug: a for a in Agency.objects.filter(slug__in=slugs.values())}
    agencies = {system: found.get(slug) for system, slug in slugs.items()}
    for system, agency in agencies.items():
        if agency is not None and agency.kind != AGENCY_KIND[system]:
            raise ExtractRefused(
                f"Agency {agency.slug} is {agency.get_kind_display()}, not {AGENCY_KIND[system].label}."
            )
    return agencies


def _ensure_agencies(
    partnership_slug: str, agency_slugs: dict[str, str], existing: dict[str, Agency | None]
) -> tuple[Partnership, dict[str, Agency]]:
    partnership, _ = Partnership.objects.get_or_create(
        slug=partnership_slug,
        defaults={"name": partnership_slug.replace("-", " ").title(), "jurisdiction": "From an imported extract"},
    )
    agencies = {}
    for system in extract.SYSTEMS:
        agencies[system] = existing[system] or Agency.objects.create(
            slug=agency_slugs.get(system) or f"{partnership_slug}-{system}",
            name=f"{partnership.name} {extract.SYSTEM_NAMES[system]}",
            kind=AGENCY_KIND[system],
            is_part2_program=system == "sud",
        )
    partnership.agencies.add(*agencies.values())
    return partnership, agencies


def _delete_people_left_without_records(person_ids: list[int]) -> None:
    """Of these people, delete those nothing refers to any more (their records moved to the person they are)."""
    unreferenced = [
        ~Exists(relation.related_model.objects.filter(**{relation.field.name: OuterRef("pk")}))
        for relation in Person._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete
    ]
    Person.objects.filter(*unreferenced, pk__in=person_ids).delete()


# --- the writer --------------------------------------------------------------------------------
class ExtractWriter:
    def __init__(
        self,
        folder: Path,
        checks: dict[str, FileCheck],
        validator: ExtractValidator,
        agencies: dict[str, Agency],
        progress: Any,
    ) -> None:
        self.folder, self.checks, self.validator, self.progress = folder, checks, validator, progress
        self.agency_ids = {system: agency.pk for system, agency in agencies.items()}
        self.now = bulk.db_timestamp(timezone.now())
        self.summaries = {
            f.name: FileSummary(
                f.name, checks[f.name].present, checks[f.name].rows_read, rejected=checks[f.name].rows_rejected
            )
            for f in extract.FILES
        }
        self.subjects: dict[str, dict[str, int]] = {}
        self.family_pk_of_subject: dict[int, int] = {}
        self.episodes: dict[str, tuple[int, int]] = {}

    def good_rows(self, extract_file: extract.ExtractFile) -> Iterator[list[str]]:
        check = self.checks[extract_file.name]
        if not check.present or not check.header_ok:
            return
        bad = check.bad_lines
        self.progress.start(f"Writing {extract_file.name}", check.rows_read - len(bad))
        count = 0
        for line, row in read_rows(self.folder / extract_file.name):
            if line in bad:
                continue
            yield row
            count += 1
            if count % 10000 == 0:
                self.progress.advance(10000)
        self.progress.advance(count % 10000)

    def write(self) -> dict[str, FileSummary]:
        self._people()
        self._family_members()
        self._reports()
        self._removals()
        self._placements()
        self._referrals()
        self._admissions()
        self._hearings()
        return self.summaries

    def _count(self, name: str, inserted: int, updated: int, unchanged: int) -> None:
        summary = self.summaries[name]
        summary.inserted += inserted
        summary.updated += updated
        summary.unchanged += unchanged

    # people ---------------------------------------------------------------------------------
    def _people(self) -> None:
        links: dict[tuple[str, str], str] = {}
        for system, person_id, linked in self.good_rows(extract.LINKS):
            links[(system, person_id)] = linked
        existing = {
            system: dict(
                LocalIdentifier.unrestricted.filter(owner_agency_id=self.agency_ids[system]).values_list(
                    "identifier", "subject_id"
                )
            )
            for system in extract.SYSTEMS
        }
        people_rows = list(self.good_rows(extract.PEOPLE))
        stored = self._stored_people({pk for ids in existing.values() for pk in ids.values()})
        self.subjects = {system: dict(existing[system]) for system in extract.SYSTEMS}
        counts = PeopleCounts()
        # Child welfare people first: the others may be linked to them.
        self._write_people([row for row in people_rows if row[0] == "cw"], links, existing, stored, counts)
        self._write_people([row for row in people_rows if row[0] != "cw"], links, existing, stored, counts)
        self._count(extract.PEOPLE.name, counts.inserted, counts.updated, counts.unchanged)
        self._count(extract.LINKS.name, *counts.links)
        self.summaries[extract.LINKS.name].unchanged += len(links) - sum(counts.links)

    def _write_people(
        self, people_rows: list, links: dict, existing: dict, stored: dict, counts: "PeopleCounts"
    ) -> None:
        new_people: list[tuple] = []
        new_identifiers: list[tuple[str, str, int | None]] = []
        changed: dict[int, tuple] = {}
        merges: dict[str, dict[int, int]] = defaultdict(dict)
        for system, person_id, first, last, birth, sex, zip_code in people_rows:
            values = (first, last, birth or None, sex or "U", zip_code)
            linked_subject = self.subjects["cw"].get(links.get((system, person_id), ""))
            current = existing[system].get(person_id)
            if linked_subject is not None:
                # The child welfare row describes the person; this system's row only adds its identifier.
                if current is None:
                    new_identifiers.append((system, person_id, linked_subject))
                    counts.links[0] += 1
                elif current != linked_subject:
                    merges[system][current] = linked_subject
                    counts.links[1] += 1
                else:
                    counts.unchanged += 1
                    counts.links[2] += 1
                self.subjects[system][person_id] = linked_subject
            elif current is None:
                new_people.append(values)
                new_identifiers.append((system, person_id, None))
            elif stored.get(current) != values:
                changed[current] = values
            else:
                counts.unchanged += 1
        self._insert_people(new_people, new_identifiers)
        self._update_people(changed)
        for system, moves in merges.items():
            self._merge_into_linked(self.agency_ids[system], moves)
        counts.inserted += len(new_identifiers)
        counts.updated += len(changed) + sum(len(moves) for moves in merges.values())

    def _stored_people(self, subject_ids: set[int]) -> dict[int, tuple]:
        stored = {}
        ids = list(subject_ids)
        for start in range(0, len(ids), 20000):
            for pk, *values in Person.objects.filter(pk__in=ids[start : start + 20000]).values_list(
                "pk", *PERSON_FIELDS
            ):
                values[2] = bulk.as_text(values[2])
                stored[pk] = tuple(values)
        return stored

    def _insert_people(self, new_people: list[tuple], new_identifiers: list[tuple[str, str, int | None]]) -> None:
        person_ids = iter(bulk.allocate_ids(Person, len(new_people)))
        person_rows = []
        identifier_rows = []
        for system, person_id, linked_subject in new_identifiers:
            subject = linked_subject
            if subject is None:
                subject = next(person_ids)
                values = new_people[len(person_rows)]
                person_rows.append((subject, *values, name_key(values[0]), name_key(values[1]), self.now))
            self.subjects[system][person_id] = subject
            identifier_rows.append(
                (self.agency_ids[system], subject, LocalIdentifier.fixed_category, self.now, self.now, person_id)
            )
        bulk.insert_rows(Person, ("id", *PERSON_FIELDS, *NAME_KEY_FIELDS, "created_at"), person_rows)
        identifier_ids = bulk.allocate_ids(LocalIdentifier, len(identifier_rows))
        bulk.insert_rows(
            LocalIdentifier,
            ("id", "owner_agency_id", "subject_id", "category", "created_at", "updated_at", "identifier"),
            ((pk, *row) for pk, row in zip(identifier_ids, identifier_rows, strict=True)),
        )

    def _update_people(self, changed: dict[int, tuple]) -> None:
        people = [Person(pk=pk, **dict(zip(PERSON_FIELDS, values, strict=True))) for pk, values in changed.items()]
        for person in people:
            person.fill_name_keys()
        Person.objects.bulk_update(people, [*PERSON_FIELDS, *NAME_KEY_FIELDS], batch_size=500)

    def _merge_into_linked(self, agency_id: int, moves: dict[int, int]) -> None:
        """A person imported on their own before the crosswalk linked them: their records move to the linked person."""
        olds = list(moves)
        for start in range(0, len(olds), 500):
            chunk = olds[start : start + 500]
            new_subject = Case(
                *(When(subject_id=old, then=Value(moves[old])) for old in chunk), output_field=IntegerField()
            )
            for model in PERSON_RECORD_MODELS:
                model.objects.filter(owner_agency_id=agency_id, subject_id__in=chunk).update(
                    subject_id=new_subject, updated_at=timezone.now()
                )
            _delete_people_left_without_records(chunk)

    # families -------------------------------------------------------------------------------
    def _family_members(self) -> None:
        cw = self.agency_ids["cw"]
        rows = [
            (family_id, self.subjects["cw"][person_id], role)
            for family_id, person_id, role in self.good_rows(extract.FAMILY_MEMBERS)
        ]
        families = dict(
            Family.objects.filter(owner_agency_id=cw).exclude(case_number="").values_list("case_number", "pk")
        )
        self._insert_families({family_id for family_id, _, _ in rows} - families.keys(), families)
        existing = {
            (family, subject): (pk, role)
            for pk, family, subject, role in FamilyMember.unrestricted.filter(owner_agency_id=cw).values_list(
                "pk", "family_id", "subject_id", "role"
            )
        }
        inserts, changed, unchanged = [], [], 0
        for family_id, subject, role in rows:
            family = families[family_id]
            if role == "child":
                self.family_pk_of_subject.setdefault(subject, family)
            current = existing.get((family, subject))
            if current is None:
                inserts.append((cw, subject, FamilyMember.fixed_category, self.now, self.now, family, role))
            elif current[1] != role:
                changed.append(FamilyMember(pk=current[0], role=role))
            else:
                unchanged += 1
        member_ids = bulk.allocate_ids(FamilyMember, len(inserts))
        bulk.insert_rows(
            FamilyMember,
            ("id", "owner_agency_id", "subject_id", "category", "created_at", "updated_at", "family_id", "role"),
            ((pk, *row) for pk, row in zip(member_ids, inserts, strict=True)),
        )
        FamilyMember.unrestricted.bulk_update(changed, ["role"], batch_size=500)
        for subject, family in FamilyMember.unrestricted.filter(owner_agency_id=cw, role="child").values_list(
            "subject_id", "family_id"
        ):
            self.family_pk_of_subject.setdefault(subject, family)
        self._count(extract.FAMILY_MEMBERS.name, len(inserts), len(changed), unchanged)

    def _insert_families(self, new_family_ids: set[str], families: dict[str, int]) -> None:
        validator = self.validator
        members_by_family: dict[str, list[str]] = defaultdict(list)
        for child_id, family_id in validator.family_of_child.items():
            members_by_family[family_id].append(child_id)
        ordered = sorted(new_family_ids)
        ids = bulk.allocate_ids(Family, len(ordered))
        today = timezone.localdate().isoformat()
        rows = []
        for pk, family_id in zip(ids, ordered, strict=True):
            children = members_by_family.get(family_id, [])
            surname = next((validator.last_names.get(c) for c in children if validator.last_names.get(c)), "")
            opened = min((validator.first_event[c] for c in children if c in validator.first_event), default=today)
            name = f"{surname} family" if surname else f"Family {family_id}"
            # An imported family is an open case (the stage's database default) since its first event.
            rows.append((pk, name, self.agency_ids["cw"], family_id, opened, opened, self.now))
            families[family_id] = pk
        columns = ("id", "name", "owner_agency_id", "case_number", "opened_on", "case_opened_on", "created_at")
        bulk.insert_rows(Family, columns, rows)

    # sourced records ------------------------------------------------------------------------
    def _upsert(
        self,
        model: type[Model],
        system: str,
        fields: tuple[str, ...],
        rows: Iterable[tuple[str, tuple]],
        *,
        constants: dict[str, Any] | None = None,
    ) -> tuple[dict[str, int], int, int, int]:
        """Insert new rows, update changed ones, leave the rest; returns source id -> pk and the counts."""
        agency = self.agency_ids[system]
        constants = constants or {}
        existing = {}
        # A record voided here as entered in error still matches its row: updated, it stays voided.
        for source_id, pk, *values in (
            model.unrestricted_with_voided.filter(owner_agency_id=agency)
            .exclude(source_id="")
            .values_list("source_id", "pk", *fields)
        ):
            existing[source_id] = (pk, tuple(map(bulk.as_text, values)))
        pks = {source_id: pk for source_id, (pk, _) in existing.items()}
        new_rows, changed, unchanged = [], [], 0
        for source_id, values in rows:
            current = existing.get(source_id)
            if current is None:
                new_rows.append((source_id, values))
            elif current[1] != tuple(map(bulk.as_text, values)):
                changed.append(model(pk=current[0], **dict(zip(fields, values, strict=True))))
            else:
                unchanged += 1
        ids = bulk.allocate_ids(model, len(new_rows))
        head = (model.fixed_category, self.now, self.now, agency)
        tail = tuple(constants.values())
        bulk.insert_rows(
            model,
            ("id", "category", "created_at", "updated_at", "owner_agency_id", "source_id", *fields, *constants),
            ((pk, *head, source_id, *values, *tail) for pk, (source_id, values) in zip(ids, new_rows, strict=True)),
        )
        pks.update((source_id, pk) for pk, (source_id, _) in zip(ids, new_rows, strict=True))
        model.objects.bulk_update(changed, fields, batch_size=500)
        return pks, len(new_rows), len(changed), unchanged

    def _reports(self) -> None:
        cw = self.subjects["cw"]
        rows = (
            (report_id, (cw[child], self.family_pk_of_subject.get(cw[child]), day, disposition))
            for report_id, child, day, disposition in self.good_rows(extract.CW_REPORTS)
        )
        fields = ("subject_id", "family_id", "report_date", "disposition")
        _, *counts = self._upsert(ChildWelfareReport, "cw", fields, rows, constants={"summary": ""})
        self._count(extract.CW_REPORTS.name, *counts)

    def _removals(self) -> None:
        cw = self.subjects["cw"]
        rows = [
            (episode_id, (cw[child], self.family_pk_of_subject.get(cw[child]), removal, discharge or None, reason))
            for episode_id, child, removal, discharge, reason in self.good_rows(extract.CW_REMOVALS)
        ]
        fields = ("subject_id", "family_id", "removal_date", "discharge_date", "discharge_reason")
        pks, *counts = self._upsert(RemovalEpisode, "cw", fields, rows)
        subjects = dict(
            RemovalEpisode.unrestricted_with_voided.filter(owner_agency_id=self.agency_ids["cw"])
            .exclude(source_id="")
            .values_list("source_id", "subject_id")
        )
        self.episodes = {source_id: (pk, subjects[source_id]) for source_id, pk in pks.items()}
        self._count(extract.CW_REMOVALS.name, *counts)

    def _placements(self) -> None:
        rows = (
            (f"{episode_id}@{start}", (*self.episodes[episode_id], start, end or None, setting_type))
            for episode_id, start, end, setting_type in self.good_rows(extract.CW_PLACEMENTS)
        )
        fields = ("episode_id", "subject_id", "setting_start", "setting_end", "setting_type")
        _, *counts = self._upsert(PlacementSetting, "cw", fields, rows)
        self._count(extract.CW_PLACEMENTS.name, *counts)

    def _referrals(self) -> None:
        sud = self.subjects["sud"]
        referring = {"child_welfare": self.agency_ids["cw"], "court": self.agency_ids["court"]}
        rows = (
            (referral_id, (sud[person], referring.get(source), day, source))
            for referral_id, person, day, source in self.good_rows(extract.SUD_REFERRALS)
        )
        fields = ("subject_id", "referring_agency_id", "referral_date", "source")
        _, *counts = self._upsert(Referral, "sud", fields, rows)
        self._count(extract.SUD_REFERRALS.name, *counts)

    def _admissions(self) -> None:
        sud = self.subjects["sud"]
        rows = (
            (episode_id, (sud[person], admission, discharge or None, reason, level))
            for episode_id, person, admission, discharge, reason, level in self.good_rows(extract.SUD_ADMISSIONS)
        )
        fields = ("subject_id", "admission_date", "discharge_date", "discharge_reason", "level_of_care")
        _, *counts = self._upsert(TreatmentEpisode, "sud", fields, rows)
        self._count(extract.SUD_ADMISSIONS.name, *counts)

    def _hearings(self) -> None:
        court = self.subjects["court"]
        hearings = list(self.good_rows(extract.COURT_HEARINGS))
        cases: dict[str, list] = {}
        for _, case_id, child, day, hearing_type in hearings:
            case = cases.setdefault(case_id, [court[child], day, False])
            case[1] = min(case[1], day)
            case[2] = case[2] or hearing_type == "ftc"
        case_rows = (
            (case_id, (subject, self.family_pk_of_subject.get(subject), case_id, filed, ftc))
            for case_id, (subject, filed, ftc) in cases.items()
        )
        fields = ("subject_id", "family_id", "docket_number", "filed_on", "is_family_treatment_court")
        case_pks, *_ = self._upsert(CourtCase, "court", fields, case_rows)
        rows = (
            (hearing_id, (court[child], case_pks[case_id], day, hearing_type))
            for hearing_id, case_id, child, day, hearing_type in hearings
        )
        _, *counts = self._upsert(
            Hearing, "court", ("subject_id", "court_case_id", "hearing_date", "hearing_type"), rows
        )
        self._count(extract.COURT_HEARINGS.name, *counts)


def write_rejects(folder: Path, rejects: Path, checks: dict[str, FileCheck]) -> None:
    """Beside report.csv (file, line, column, reason), each file's rejected rows as they came."""
    rejects.mkdir(parents=True, exist_ok=True)
    with (rejects / "report.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "column", "reason"])
        for check in checks.values():
            writer.writerows((e.file, e.line, e.column, e.reason) for e in check.errors)
    for check in checks.values():
        if not check.errors:
            continue
        source = folder / check.file.name
        with (
            source.open(newline="", encoding="utf-8") as src,
            (rejects / check.file.name).open("w", newline="", encoding="utf-8") as out,
        ):
            reader, writer = csv.reader(src), csv.writer(out)
            writer.writerow(next(reader, []))
            for row in reader:
                if not check.header_ok or reader.line_num in check.bad_lines:
                    writer.writerow(row)


def import_extract(
    folder: Path,
    *,
    partnership_slug: str | None = None,
    agency_slugs: dict[str, str] | None = None,
    rejects: Path | None = None,
    progress: Any = None,
) -> ImportSummary:
    """Validate the extract whole, then write it in one transaction, with one audit event for the run.

    Raises ExtractInvalid (writing nothing) when a file has errors, unless `rejects` is given: then
    good rows are written and bad rows go to the rejects folder beside a report.
    """
    # Millions of small tuples, none of them cyclic: the cycle collector would rescan them all, again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_extract(Path(folder), partnership_slug, agency_slugs or {}, rejects, progress or NoProgress())
    finally:
        if collecting:
            gc.enable()


def _import_extract(
    folder: Path, partnership_slug: str | None, agency_slugs: dict[str, str], rejects: Path | None, progress: Any
) -> ImportSummary:
    if not folder.is_dir():
        raise ExtractRefused(f"{folder} is not a folder.")
    partnership_slug = partnership_slug or slugify(folder.resolve().name) or "extract"
    existing = _existing_agencies(partnership_slug, agency_slugs)
    known_people = {
        system: set(LocalIdentifier.unrestricted.filter(owner_agency=agency).values_list("identifier", flat=True))
        if agency
        else set()
        for system, agency in existing.items()
    }
    episodes = RemovalEpisode.unrestricted_with_voided.filter(owner_agency=existing["cw"])
    known_episodes = set(episodes.values_list("source_id", flat=True)) if existing["cw"] else set()
    validator = ExtractValidator(folder, known_people, known_episodes, progress)
    checks = validator.validate()
    errors = [error for check in checks.values() for error in check.errors]
    if errors and rejects is None:
        raise ExtractInvalid(errors)
    if errors:
        write_rejects(folder, rejects, checks)
    with transaction.atomic():
        partnership, agencies = _ensure_agencies(partnership_slug, agency_slugs, existing)
        files = ExtractWriter(folder, checks, validator, agencies, progress).write()
        summary = ImportSummary(partnership, agencies, files, errors, rejects if errors else None)
        record_event(
            "import_extract",
            partnership,
            details={
                "folder": folder.name,
                "agencies": {system: agency.slug for system, agency in agencies.items()},
                "rows_read": summary.rows_read,
                "rows_written": summary.rows_written,
                "rows_rejected": summary.rows_rejected,
                "files": {
                    name: {"read": f.read, "inserted": f.inserted, "updated": f.updated, "rejected": f.rejected}
                    for name, f in files.items()
                    if f.present
                },
            },
        )
    return summary
