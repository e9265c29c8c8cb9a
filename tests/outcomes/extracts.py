"""Small hand-made extracts for the outcome tests: rows are tuples in the extract's column order."""

import csv
from datetime import date
from pathlib import Path

from familybridge.outcomes import extract
from familybridge.outcomes.engine import Period, compute
from familybridge.outcomes.importing import import_extract

WORKED_PERIOD = Period.twelve_months_to(date(2021, 9, 30))


def write_extract(folder: Path, **files: list[tuple]) -> Path:
    """Write each given file (by its name without .csv) with the extract's header."""
    folder.mkdir(parents=True, exist_ok=True)
    by_stem = {f.name.removesuffix(".csv"): f for f in extract.FILES}
    for stem, rows in files.items():
        with (folder / by_stem[stem].name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(by_stem[stem].columns)
            writer.writerows(rows)
    return folder


def children(*births: tuple[str, str]) -> list[tuple]:
    """cw people rows for (person_id, birth_date) pairs."""
    return [("cw", person_id, person_id.title(), "Test", birth, "F", "") for person_id, birth in births]


def figures_for(folder: Path, period: Period = WORKED_PERIOD, as_of=None, **files: list[tuple]) -> dict:
    import_extract(write_extract(folder, **files), partnership_slug="test-extract")
    return compute(period, as_of)
