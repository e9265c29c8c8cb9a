"""A realistic synthetic extract, from a seed: for the demo, the tests and the benchmarks.

Families come to child welfare over six years before `through`. Some reports are substantiated;
some children are removed (a few for under 8 days); placements move, end in trial home visits or
runaways; parents are referred to treatment, are admitted or not, complete it or not (and their
children are more often reunified when they do); some children re-enter care; the court holds
shelter, adjudication, review, permanency and family treatment court hearings. Most treatment and
court people are linked to their child welfare person in links.csv; a few are left for record
linkage, as in real crosswalks.
"""

import csv
import random
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

from familybridge.demo.names import CHILDREN, MEN, SURNAMES, WOMEN, ZIPS
from familybridge.outcomes import extract
from familybridge.outcomes.engine import plus_years

LEVELS = ("1", "2.1", "2.1", "2.5", "3.5", "3.7")
YEARS_OF_HISTORY = 6


class SyntheticExtract:
    def __init__(self, rng: random.Random, through: date) -> None:
        self.rng = rng
        self.through = through
        self.first_day = through - timedelta(days=YEARS_OF_HISTORY * 365)
        self.counters: dict[str, int] = {}

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]:08d}"

    def day_after(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, high))

    def family(self, out: dict, index: int) -> None:
        rng = self.rng
        family_id = f"F{index:08d}"
        surname = rng.choice(SURNAMES)
        opened = self.day_after(self.first_day, 0, YEARS_OF_HISTORY * 365)
        parents = []
        if rng.random() < 0.96:
            parents.append((rng.choice(WOMEN), "F", rng.randint(19, 42)))
        if not parents or rng.random() < 0.5:
            parents.append((rng.choice(MEN), "M", rng.randint(20, 48)))
        cw_parents = []
        for first, sex, age in parents:
            person_id = self.next_id("C")
            birth = opened - timedelta(days=age * 365 + rng.randint(0, 364))
            out["people.csv"].append(("cw", person_id, first, surname, birth, sex, rng.choice(ZIPS)))
            out["family_members.csv"].append((family_id, person_id, "parent"))
            cw_parents.append((person_id, first, birth, sex))
        children = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            person_id = self.next_id("C")
            birth = opened - timedelta(days=rng.randint(0, 18 * 365 - 30))
            first = rng.choice(CHILDREN)
            out["people.csv"].append(("cw", person_id, first, surname, birth, rng.choice("FM"), rng.choice(ZIPS)))
            out["family_members.csv"].append((family_id, person_id, "child"))
            children.append((person_id, first, birth))

        disposition = rng.choices(("substantiated", "indicated", "unsubstantiated", "other"), weights=(45, 15, 32, 8))[
            0
        ]
        for child_id, _, _ in children:
            out["cw_reports.csv"].append((self.next_id("R"), child_id, opened, disposition))
            if rng.random() < 0.12:
                again = self.day_after(opened, 5, 540)
                if again <= self.through:
                    again_disposition = rng.choice(("substantiated", "indicated", "unsubstantiated"))
                    out["cw_reports.csv"].append((self.next_id("R"), child_id, again, again_disposition))
        if disposition not in ("substantiated", "indicated"):
            return

        removed = rng.random() < 0.55
        anchor = self.day_after(opened, 0, 20) if removed else opened
        completed = self.treatment(out, cw_parents, surname, anchor)
        if not removed:
            return
        case_id = f"K{index:08d}"
        ftc = rng.random() < 0.2
        for child_id, first, birth in children:
            court_id = self.next_id("J")
            out["people.csv"].append(("court", court_id, first, surname, birth, "U", ""))
            if rng.random() < 0.97:
                out["links.csv"].append(("court", court_id, child_id))
            removal, discharge = anchor, None
            while removal is not None and removal <= self.through:
                discharge, reason = self.removal(out, child_id, birth, removal, completed)
                if discharge is not None and removal == anchor:
                    self.hearings(out, f"{case_id}-{child_id}", court_id, removal, discharge, ftc)
                elif discharge is None and removal == anchor:
                    self.hearings(out, f"{case_id}-{child_id}", court_id, removal, self.through, ftc)
                removal = None
                if reason in ("reunification", "relative", "guardianship") and rng.random() < 0.12:
                    removal = self.day_after(discharge, 10, 600)

    def removal(self, out: dict, child_id: str, birth: date, removal: date, completed: bool) -> tuple:
        rng = self.rng
        episode_id = self.next_id("E")
        stay = rng.randint(1, 7) if rng.random() < 0.05 else int(rng.lognormvariate(5.75 if completed else 6.2, 0.55))
        discharge = removal + timedelta(days=max(stay, 1))
        adult = plus_years(birth, 18)
        if adult <= removal:
            adult = removal + timedelta(days=1)
        reason = ""
        if discharge >= adult and adult <= self.through:
            discharge, reason = adult, "emancipation"
        elif discharge > self.through:
            discharge = None
        else:
            weights = (70, 10, 8, 2, 3, 3, 4) if completed else (35, 18, 14, 20, 5, 4, 4)
            reason = rng.choices(
                ("reunification", "relative", "guardianship", "adoption", "transfer", "runaway", "other"), weights
            )[0]
            if reason == "adoption" and stay < 300:
                reason = "reunification"
        out["cw_removals.csv"].append((episode_id, child_id, removal, discharge or "", reason))
        self.placements(out, episode_id, removal, discharge, reason)
        return discharge, reason

    def placements(self, out: dict, episode_id: str, removal: date, discharge: date | None, reason: str) -> None:
        rng = self.rng
        end = discharge or self.through
        starts = [removal]
        types = [rng.choices(("foster", "relative", "group", "institution"), (55, 32, 9, 4))[0]]
        for _ in range(rng.choices((0, 1, 2, 3), (50, 30, 14, 6))[0]):
            if (end - starts[-1]).days > 20:
                starts.append(self.day_after(starts[-1], 10, (end - starts[-1]).days - 5))
                types.append(
                    rng.choices(("foster", "relative", "group", "pre_adoptive", "runaway"), (50, 25, 12, 8, 5))[0]
                )
        if reason == "reunification" and rng.random() < 0.3 and (end - starts[-1]).days > 45:
            starts.append(end - timedelta(days=rng.randint(14, 40)))
            types.append("trial_home_visit")
        for position, (start, setting_type) in enumerate(zip(starts, types, strict=True)):
            setting_end = starts[position + 1] if position + 1 < len(starts) else discharge
            out["cw_placements.csv"].append((episode_id, start, setting_end or "", setting_type))

    def treatment(self, out: dict, cw_parents: list, surname: str, anchor: date) -> bool:
        """Referrals and admissions of the parents; whether one of them completed treatment."""
        rng = self.rng
        completed = False
        for cw_id, first, birth, sex in cw_parents:
            if rng.random() > 0.72:
                continue
            referred = self.day_after(anchor, -30, 50)
            if referred > self.through:
                continue
            sud_id = self.next_id("S")
            name = first if rng.random() > 0.05 else first[:3]
            out["people.csv"].append(("sud", sud_id, name, surname, birth, sex, rng.choice(ZIPS)))
            if rng.random() < 0.95:
                out["links.csv"].append(("sud", sud_id, cw_id))
            source = rng.choices(("child_welfare", "court", "self", "other"), (75, 15, 5, 5))[0]
            out["sud_referrals.csv"].append((self.next_id("Q"), sud_id, referred, source))
            if rng.random() > 0.78:
                continue
            admitted = referred + timedelta(days=min(int(rng.expovariate(1 / 9)), 120))
            for _ in range(2 if rng.random() < 0.1 else 1):
                if admitted > self.through:
                    break
                stay = int(rng.lognormvariate(4.5, 0.7))
                discharge = admitted + timedelta(days=stay)
                reason = ""
                if discharge > self.through:
                    discharge = None
                else:
                    reason = rng.choices(
                        ("completed", "left", "terminated", "transferred", "incarcerated", "other"),
                        (46, 30, 9, 8, 3, 4),
                    )[0]
                    completed = completed or reason == "completed"
                out["sud_admissions.csv"].append(
                    (self.next_id("A"), sud_id, admitted, discharge or "", reason, rng.choice(LEVELS))
                )
                if discharge is None:
                    break
                admitted = self.day_after(discharge, 30, 400)
        return completed

    def hearings(self, out: dict, case_id: str, child_id: str, removal: date, end: date, ftc: bool) -> None:
        schedule = [("shelter", 2), ("adjudication", 45), ("disposition", 75)]
        schedule += [("review", day) for day in range(180, 1500, 180)]
        schedule += [("permanency", day) for day in range(365, 1500, 365)]
        if ftc:
            schedule += [("ftc", day) for day in range(60, 420, 14)]
        for hearing_type, offset in sorted(schedule, key=lambda item: item[1]):
            day = removal + timedelta(days=offset)
            if day > end or day > self.through:
                break
            out["court_hearings.csv"].append((self.next_id("H"), case_id, child_id, day, hearing_type))


def write_synthetic_extract(folder: Path, *, families: int, seed: int, through: date) -> dict[str, int]:
    """Write the extract files; returns rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    generator = SyntheticExtract(random.Random(seed), through)
    counts = {f.name: 0 for f in extract.FILES}
    with ExitStack() as stack:
        writers = {}
        for extract_file in extract.FILES:
            handle = stack.enter_context((folder / extract_file.name).open("w", newline="", encoding="utf-8"))
            writers[extract_file.name] = csv.writer(handle, lineterminator="\n")
            writers[extract_file.name].writerow(extract_file.columns)
        buffer: dict[str, list] = {name: [] for name in writers}
        for index in range(1, families + 1):
            generator.family(buffer, index)
            if index % 1000 == 0 or index == families:
                for name, rows in buffer.items():
                    writers[name].writerows(rows)
                    counts[name] += len(rows)
                    rows.clear()
    return counts
