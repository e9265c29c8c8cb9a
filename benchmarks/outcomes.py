"""Joint outcomes at scale: generate a synthetic extract, import it, compute every indicator.

Prints rows imported per second, the indicators' compute time (loading the columns into DuckDB,
one period, and the dashboard's eight rolling periods) and the process's peak memory.
Targets on a 2-core machine: import >= 50,000 rows/s, all indicators < 5 s, memory < 2 GB.

Runs on a temporary SQLite file, or on DATABASE_URL (PostgreSQL): there the benchmark's own rows
(agencies bench-outcomes-*) are removed before and after, so the database is left as it was
(but for one audit event per run: the log is append-only).
BENCH_FAMILIES sets the number of families (default 100,000).
"""

import os
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from _setup import django_on_scratch_database

django_on_scratch_database()

from django.db import connection, transaction  # noqa: E402

from familybridge.outcomes.engine import Period, load_outcome_data  # noqa: E402
from familybridge.outcomes.importing import import_extract  # noqa: E402
from familybridge.outcomes.synth import write_synthetic_extract  # noqa: E402

FAMILIES = int(os.environ.get("BENCH_FAMILIES", "100000"))
THROUGH = date(2025, 12, 31)
SLUG = "bench-outcomes"


def remove_benchmark_rows() -> None:
    """Delete what an earlier run imported: everything owned by the benchmark's agencies."""
    tables = [
        "cases_hearing",
        "cases_courtcase",
        "cases_treatmentepisode",
        "referrals_referral",
        "cases_placementsetting",
        "cases_removalepisode",
        "cases_childwelfarereport",
        "people_familymember",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM agencies_agency WHERE slug LIKE %s", [SLUG + "-%"])
        agencies = [row[0] for row in cursor.fetchall()]
        if not agencies:
            return
        marks = ", ".join(["%s"] * len(agencies))
        for table in tables:
            cursor.execute(f"DELETE FROM {table} WHERE owner_agency_id IN ({marks})", agencies)
        cursor.execute(f"DELETE FROM people_family WHERE owner_agency_id IN ({marks})", agencies)
        cursor.execute(
            "CREATE TEMP TABLE bench_people AS SELECT DISTINCT subject_id FROM people_localidentifier "
            f"WHERE owner_agency_id IN ({marks})",
            agencies,
        )
        cursor.execute(f"DELETE FROM people_localidentifier WHERE owner_agency_id IN ({marks})", agencies)
        cursor.execute("DELETE FROM people_person WHERE id IN (SELECT subject_id FROM bench_people)")
        cursor.execute("DROP TABLE bench_people")
        cursor.execute(
            "DELETE FROM agencies_partnership_agencies WHERE agency_id IN (" + marks + ")",
            agencies,
        )
        cursor.execute(f"DELETE FROM agencies_agency WHERE id IN ({marks})", agencies)
        cursor.execute("DELETE FROM agencies_partnership WHERE slug = %s", [SLUG])


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


remove_benchmark_rows()
folder = Path(tempfile.mkdtemp(prefix="familybridge-extract-"))
start = time.perf_counter()
written = write_synthetic_extract(folder, families=FAMILIES, seed=20250101, through=THROUGH)
synth_seconds = time.perf_counter() - start

start = time.perf_counter()
summary = import_extract(folder, partnership_slug=SLUG)
import_seconds = time.perf_counter() - start

start = time.perf_counter()
data = load_outcome_data()
load_seconds = time.perf_counter() - start
start = time.perf_counter()
period = Period.twelve_months_to(date(2024, 12, 31))
figures = data.figures([period])[0]
one_period_seconds = time.perf_counter() - start
quarter_ends = [date(2023, 3, 31), date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31)]
quarter_ends += [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]
start = time.perf_counter()
data.figures([Period.twelve_months_to(end) for end in quarter_ends])
eight_periods_seconds = time.perf_counter() - start

print(f"database: {connection.vendor}")
print(f"extract: {FAMILIES:,} families, {sum(written.values()):,} rows (synthesized in {synth_seconds:.1f} s)")
print(
    f"import: {summary.rows_read / import_seconds:,.0f} rows/s "
    f"({summary.rows_written:,} rows written in {import_seconds:.1f} s)"
)
print(f"indicators: load into DuckDB {load_seconds:.2f} s; all 13 for one period {one_period_seconds:.2f} s")
print(
    f"indicators: total {load_seconds + one_period_seconds:.2f} s; eight rolling periods {eight_periods_seconds:.2f} s"
)
print(f"P1 {figures['P1'].value}%  T1 {figures['T1'].value}%  J1 {figures['J1'].value}%  (2024)")
print(f"peak memory: {peak_memory_mb():,.0f} MB (this process)")
remove_benchmark_rows()
