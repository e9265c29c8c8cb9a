"""Validating an extract folder whole, before anything is written.

Each file is read once; every bad row is reported with its file, line, column and reason. A row
that refers to a rejected row (a placement of a rejected removal, say) is rejected too, so what is
written never points at what was not. The validator keeps only what later files refer to.
"""

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from familybridge.outcomes import extract
from familybridge.outcomes.extract import ExtractFile

MAX_ID = 64
LEVEL_OF_CARE = re.compile(r"^[0-4](\.[0-9])?$")


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}, column {self.column}: {self.reason}"


@dataclass
class FileCheck:
    """What validation found in one file: rows read and the lines that may not be written."""

    file: ExtractFile
    present: bool = False
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)
    header_ok: bool = True

    @property
    def rows_rejected(self) -> int:
        return self.rows_read if not self.header_ok else len(self.bad_lines)


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The data rows of a CSV file with their line numbers (the header is line 1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for row in reader:
            yield reader.line_num, row


def read_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle), [])


def count_rows(path: Path) -> int:
    """Data rows, for the progress bar (a quoted line break may make it a slight overcount)."""
    with path.open("rb") as handle:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)


class RowChecker:
    """Collects the errors of one row, column by column."""

    def __init__(self, check: FileCheck, line: int, row: list[str], columns: tuple[str, ...]) -> None:
        self.check, self.line, self.values = check, line, dict(zip(columns, row, strict=False))
        self.ok = True
        if len(row) != len(columns):
            self.fail(columns[min(len(row), len(columns) - 1)], f"expected {len(columns)} fields, found {len(row)}")

    def fail(self, column: str, reason: str) -> None:
        self.ok = False
        self.check.errors.append(RowError(self.check.file.name, self.line, column, reason))

    def text(self, column: str, *, required: bool = True, max_length: int = MAX_ID) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.fail(column, "is required")
        elif len(value) > max_length:
            self.fail(column, f"is longer than {max_length} characters")
        return value

    def choice(self, column: str, allowed: frozenset[str] | tuple[str, ...], *, required: bool = True) -> str:
        value = self.values.get(column, "")
        if not value and not required:
            return value
        if value not in allowed:
            self.fail(column, f"'{value}' is not one of {', '.join(sorted(allowed))}")
        return value

    def date(self, column: str, *, required: bool = True) -> str:
        """A date as its ISO text (ISO dates compare correctly as text), or '' when absent."""
        value = self.values.get(column, "")
        if not value:
            if required:
                self.fail(column, "is required")
            return ""
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or len(value) != 10 or value[4] != "-":
            self.fail(column, f"'{value}' is not a date (YYYY-MM-DD)")
            return ""
        return value


class ExtractValidator:
    """Validates the files of one extract in dependency order.

    `known_people` holds, per system, the person ids the database already has, so an extract may
    refer to people an earlier extract brought in.
    """

    def __init__(self, folder: Path, known_people: dict[str, set[str]], known_episodes: set[str], progress) -> None:
        self.folder = folder
        self.progress = progress
        self.today = date.today().isoformat()
        self.known_people = known_people
        self.known_episodes = known_episodes
        # What later files refer to: person id -> birth date ('' unknown), per system.
        self.people: dict[str, dict[str, str]] = {system: {} for system in extract.SYSTEMS}
        self.rejected_people: dict[str, set[str]] = {system: set() for system in extract.SYSTEMS}
        self.last_names: dict[str, str] = {}
        # episode id -> (removal date, discharge date, child id, line)
        self.removal_dates: dict[str, tuple[str, str, str, int]] = {}
        self.rejected_episodes: set[str] = set()
        self.family_of_child: dict[str, str] = {}
        self.family_roles: dict[str, set[str]] = defaultdict(set)
        self.first_event: dict[str, str] = {}
        self.court_case_child: dict[str, str] = {}
        self.checks: dict[str, FileCheck] = {}

    # --- driving -----------------------------------------------------------------------------
    def validate(self) -> dict[str, FileCheck]:
        for extract_file in extract.FILES:
            self.checks[extract_file.name] = self._validate_file(extract_file)
        return self.checks

    def _validate_file(self, extract_file: ExtractFile) -> FileCheck:
        check = FileCheck(extract_file)
        path = self.folder / extract_file.name
        if not path.exists():
            return check
        check.present = True
        header = read_header(path)
        unknown = [c for c in header if c not in extract_file.columns]
        missing = [c for c in extract_file.columns if c not in header]
        for column in unknown:
            check.errors.append(RowError(extract_file.name, 1, column, "unknown column"))
        for column in missing:
            check.errors.append(RowError(extract_file.name, 1, column, "missing column"))
        if unknown or missing or header != list(extract_file.columns):
            if not unknown and not missing:
                check.errors.append(
                    RowError(
                        extract_file.name, 1, header[0], f"columns must be in order: {','.join(extract_file.columns)}"
                    )
                )
            check.header_ok = False
            check.rows_read = count_rows(path)
            return check
        validate_row = getattr(self, "_" + extract_file.name.removesuffix(".csv"))
        self.progress.start(f"Checking {extract_file.name}", count_rows(path))
        seen: dict[object, int] = {}
        for line, row in read_rows(path):
            check.rows_read += 1
            checker = RowChecker(check, line, row, extract_file.columns)
            validate_row(checker, seen)
            if not checker.ok:
                check.bad_lines.add(line)
            if check.rows_read % 10000 == 0:
                self.progress.advance(10000)
        self.progress.advance(check.rows_read % 10000)
        if extract_file is extract.CW_REMOVALS:
            self._reject_overlapping_episodes(check)
        return check

    def _unique(self, checker: RowChecker, seen: dict, key: object, column: str, label: str) -> None:
        first = seen.setdefault(key, checker.line)
        if first != checker.line:
            checker.fail(column, f"duplicate {label} (first on line {first})")

    def _person(self, checker: RowChecker, system: str, column: str) -> str:
        """A reference to a person of a system: in this extract's people.csv or already imported."""
        person_id = checker.text(column)
        if not person_id:
            return ""
        if person_id in self.rejected_people[system]:
            checker.fail(column, f"{system} person {person_id} was rejected in people.csv")
        elif person_id not in self.people[system] and person_id not in self.known_people[system]:
            checker.fail(column, f"no {system} person {person_id} in people.csv or already imported")
        return person_id

    def _after_birth(self, checker: RowChecker, system: str, person_id: str, column: str, day: str) -> None:
        birth = self.people[system].get(person_id, "")
        if day and birth and day < birth:
            checker.fail(column, f"{day} is before the person's birth date {birth}")

    def _note_event(self, child_id: str, day: str) -> None:
        if day and (child_id not in self.first_event or day < self.first_event[child_id]):
            self.first_event[child_id] = day

    # --- one method per file -----------------------------------------------------------------
    def _people(self, c: RowChecker, seen: dict) -> None:
        system = c.choice("system", extract.SYSTEMS)
        person_id = c.text("person_id")
        c.text("first_name", required=False, max_length=100)
        last_name = c.text("last_name", required=False, max_length=100)
        birth = c.date("birth_date", required=False)
        if birth and birth > self.today:
            c.fail("birth_date", f"{birth} is in the future")
        c.choice("sex", extract.SEXES, required=False)
        c.text("zip", required=False, max_length=10)
        self._unique(c, seen, (system, person_id), "person_id", f"{system} person {person_id}")
        if system not in self.people or not person_id:
            return
        if c.ok:
            self.people[system][person_id] = birth
            if system == "cw":
                self.last_names[person_id] = last_name
        else:
            self.rejected_people[system].add(person_id)

    def _family_members(self, c: RowChecker, seen: dict) -> None:
        family_id = c.text("family_id")
        person_id = self._person(c, "cw", "person_id")
        role = c.choice("role", extract.ROLES)
        self._unique(c, seen, (family_id, person_id), "person_id", f"member {person_id} of family {family_id}")
        if c.ok:
            self.family_roles[family_id].add(role)
            if role == "child":
                self.family_of_child.setdefault(person_id, family_id)

    def _cw_reports(self, c: RowChecker, seen: dict) -> None:
        report_id = c.text("report_id")
        child_id = self._person(c, "cw", "child_id")
        day = c.date("report_date")
        c.choice("disposition", extract.DISPOSITIONS)
        self._unique(c, seen, report_id, "report_id", f"report_id {report_id}")
        self._after_birth(c, "cw", child_id, "report_date", day)
        if c.ok:
            self._note_event(child_id, day)

    def _cw_removals(self, c: RowChecker, seen: dict) -> None:
        episode_id = c.text("episode_id", max_length=MAX_ID - 11)
        child_id = self._person(c, "cw", "child_id")
        removal = c.date("removal_date")
        discharge = c.date("discharge_date", required=False)
        reason = c.choice("discharge_reason", extract.CW_DISCHARGE_REASONS, required=False)
        self._unique(c, seen, episode_id, "episode_id", f"episode_id {episode_id}")
        self._after_birth(c, "cw", child_id, "removal_date", removal)
        self._discharge_rules(c, removal, discharge, reason, "removal_date")
        if c.ok:
            self.removal_dates[episode_id] = (removal, discharge, child_id, c.line)
            self._note_event(child_id, removal)
        else:
            self.rejected_episodes.add(episode_id)

    def _discharge_rules(self, c: RowChecker, start: str, discharge: str, reason: str, start_column: str) -> None:
        if discharge and start and discharge < start:
            c.fail("discharge_date", f"{discharge} is before the {start_column.replace('_', ' ')} {start}")
        if discharge and not reason:
            c.fail("discharge_reason", "is required when there is a discharge_date")
        if reason and not discharge:
            c.fail("discharge_reason", "must be empty while there is no discharge_date")

    def _reject_overlapping_episodes(self, check: FileCheck) -> None:
        """A child is in one removal episode at a time: an episode that begins before the previous ends is an error."""
        by_child: dict[str, list[tuple[str, str, str, int]]] = defaultdict(list)
        for episode_id, (removal, discharge, child_id, line) in self.removal_dates.items():
            by_child[child_id].append((removal, discharge, episode_id, line))
        for episodes in by_child.values():
            if len(episodes) < 2:
                continue
            episodes.sort()
            for previous, (removal, _, episode_id, line) in zip(episodes, episodes[1:], strict=False):
                _, previous_end, previous_id, _ = previous
                if not previous_end or removal < previous_end:
                    check.errors.append(
                        RowError(
                            check.file.name, line, "removal_date", f"overlaps episode {previous_id} of the same child"
                        )
                    )
                    check.bad_lines.add(line)
                    self.rejected_episodes.add(episode_id)
        for episode_id in self.rejected_episodes:
            self.removal_dates.pop(episode_id, None)

    def _cw_placements(self, c: RowChecker, seen: dict) -> None:
        episode_id = c.text("episode_id", max_length=MAX_ID - 11)
        start = c.date("setting_start")
        end = c.date("setting_end", required=False)
        c.choice("setting_type", extract.SETTING_TYPES)
        episode = self.removal_dates.get(episode_id)
        if episode_id in self.rejected_episodes:
            c.fail("episode_id", f"episode {episode_id} was rejected in cw_removals.csv")
        elif episode is None and episode_id not in self.known_episodes:
            c.fail("episode_id", f"no episode {episode_id} in cw_removals.csv or already imported")
        if episode and start:
            removal, discharge = episode[0], episode[1]
            if start < removal:
                c.fail("setting_start", f"{start} is before the episode's removal date {removal}")
            elif discharge and start > discharge:
                c.fail("setting_start", f"{start} is after the episode's discharge date {discharge}")
        if end and start and end < start:
            c.fail("setting_end", f"{end} is before the setting_start {start}")
        self._unique(c, seen, (episode_id, start), "setting_start", f"setting of episode {episode_id} starting {start}")

    def _sud_referrals(self, c: RowChecker, seen: dict) -> None:
        referral_id = c.text("referral_id")
        person_id = self._person(c, "sud", "person_id")
        day = c.date("referral_date")
        c.choice("source", extract.REFERRAL_SOURCES)
        self._unique(c, seen, referral_id, "referral_id", f"referral_id {referral_id}")
        self._after_birth(c, "sud", person_id, "referral_date", day)

    def _sud_admissions(self, c: RowChecker, seen: dict) -> None:
        episode_id = c.text("episode_id")
        person_id = self._person(c, "sud", "person_id")
        admission = c.date("admission_date")
        discharge = c.date("discharge_date", required=False)
        reason = c.choice("discharge_reason", extract.SUD_DISCHARGE_REASONS, required=False)
        level = c.text("level_of_care", required=False, max_length=8)
        if level and not LEVEL_OF_CARE.match(level):
            c.fail("level_of_care", f"'{level}' is not an ASAM level such as 1, 2.1 or 3.5")
        self._unique(c, seen, episode_id, "episode_id", f"episode_id {episode_id}")
        self._after_birth(c, "sud", person_id, "admission_date", admission)
        self._discharge_rules(c, admission, discharge, reason, "admission_date")

    def _court_hearings(self, c: RowChecker, seen: dict) -> None:
        hearing_id = c.text("hearing_id")
        court_case_id = c.text("court_case_id")
        child_id = self._person(c, "court", "child_id")
        day = c.date("hearing_date")
        c.choice("hearing_type", extract.HEARING_TYPES)
        self._unique(c, seen, hearing_id, "hearing_id", f"hearing_id {hearing_id}")
        self._after_birth(c, "court", child_id, "hearing_date", day)
        if court_case_id and child_id:
            case_child = self.court_case_child.setdefault(court_case_id, child_id)
            if case_child != child_id:
                c.fail("child_id", f"court case {court_case_id} is about child {case_child}, not {child_id}")

    def _links(self, c: RowChecker, seen: dict) -> None:
        system = c.choice("system", ("sud", "court"))
        if system in ("sud", "court"):
            self._person(c, system, "person_id")
        linked = self._person(c, "cw", "linked_person_id")
        self._unique(c, seen, (system, c.values.get("person_id")), "person_id", f"link of {system} person")
        self._unique(c, seen, (system, "->", linked), "linked_person_id", f"link to cw person {linked} from {system}")
