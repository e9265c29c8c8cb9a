"""The analytics engine: the indicators of indicators.md in SQL on DuckDB.

DuckDB cannot read the Django database itself here (its scanner extensions cannot be downloaded),
so `load_outcome_data` reads the few columns the indicators need in one query per table and hands
them to DuckDB as Arrow arrays. Every indicator is then one SQL statement over all the requested
periods at once, producing its cohort: one row per counted record with its numerator and
denominator contribution. Figures are sums over the cohort; the drill-down lists the cohort.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pyarrow as pa
from django.db import connection

from familybridge.cases.models import (
    VICTIM_DISPOSITIONS,
    ChildWelfareReport,
    PlacementSetting,
    RemovalEpisode,
    TreatmentEpisode,
)
from familybridge.outcomes.indicators import BY_CODE, CODES, J2_GROUPS
from familybridge.people.models import FamilyMember, Person
from familybridge.referrals.models import Referral


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def twelve_months_to(cls, end: date) -> "Period":
        """The 12-month period that ends on `end`: it starts the day after the same day a year before."""
        return cls(plus_years(end, -1) + timedelta(days=1), end)


def plus_years(day: date, years: int) -> date:
    """The same calendar day `years` later; February 29 becomes February 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- loading -------------------------------------------------------------------------------------
def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _date(column: str) -> str:
    # Dates travel as ISO text, which DuckDB casts in bulk: no Python date object per value.
    return f"CAST({column} AS TEXT)"


def _source_queries() -> dict[str, tuple[str, list[str]]]:
    """Per DuckDB table: the SQL that reads it from the Django database, and its columns.

    Records voided as entered in error count in no indicator: each query keeps only rows not voided."""
    person = _table(Person)
    victim = ", ".join(f"'{d}'" for d in sorted(VICTIM_DISPOSITIONS))
    return {
        "episodes": (
            f"SELECT e.id, e.subject_id, {_date('e.removal_date')}, {_date('e.discharge_date')}, e.discharge_reason, "
            f"{_date('p.birth_date')} FROM {_table(RemovalEpisode)} e JOIN {person} p ON p.id = e.subject_id "
            "WHERE e.voided_at IS NULL",
            ["id", "subject_id", "removal_date", "discharge_date", "discharge_reason", "birth_date"],
        ),
        "settings": (
            f"SELECT id, episode_id, {_date('setting_start')}, setting_type FROM {_table(PlacementSetting)} "
            "WHERE voided_at IS NULL",
            ["id", "episode_id", "setting_start", "setting_type"],
        ),
        "reports": (
            f"SELECT r.id, r.subject_id, {_date('r.report_date')}, {_date('p.birth_date')} "
            f"FROM {_table(ChildWelfareReport)} r JOIN {person} p ON p.id = r.subject_id "
            f"WHERE r.disposition IN ({victim}) AND r.voided_at IS NULL",
            ["id", "subject_id", "report_date", "birth_date"],
        ),
        "members": (
            f"SELECT family_id, subject_id, role FROM {_table(FamilyMember)} "
            "WHERE role IN ('parent', 'child') AND voided_at IS NULL",
            ["family_id", "subject_id", "role"],
        ),
        "referrals": (
            f"SELECT id, subject_id, {_date('referral_date')} FROM {_table(Referral)} WHERE voided_at IS NULL",
            ["id", "subject_id", "referral_date"],
        ),
        "admissions": (
            f"SELECT id, subject_id, {_date('admission_date')}, {_date('discharge_date')}, discharge_reason "
            f"FROM {_table(TreatmentEpisode)} WHERE voided_at IS NULL",
            ["id", "subject_id", "admission_date", "discharge_date", "discharge_reason"],
        ),
    }


ID_COLUMNS = {"id", "subject_id", "episode_id", "family_id"}
DATE_COLUMNS = {
    "removal_date",
    "discharge_date",
    "birth_date",
    "setting_start",
    "report_date",
    "referral_date",
    "admission_date",
}

MACROS = """
CREATE MACRO plus_years(d, n) AS CAST(d + to_years(CAST(n AS INTEGER)) AS DATE);
CREATE MACRO minus_months(d, n) AS CAST(d - to_months(CAST(n AS INTEGER)) AS DATE);
CREATE MACRO is_leap(y) AS (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0;
-- The first day on which a person born on b is 18 (completed years, as Person.age_on counts them:
-- someone born on February 29 turns 18 on March 1 in a common year). Unknown birth: never.
CREATE MACRO eighteenth(b) AS CASE
    WHEN b IS NULL THEN DATE '9999-12-31'
    WHEN month(b) = 2 AND day(b) = 29 AND NOT is_leap(year(b) + 18) THEN make_date(year(b) + 18, 3, 1)
    ELSE make_date(year(b) + 18, month(b), day(b)) END;
"""


def load_outcome_data() -> "OutcomeData":
    """Read what the indicators need from the Django database into a fresh DuckDB database."""
    duck = duckdb.connect()
    duck.execute("SET threads TO 2")
    duck.execute(MACROS)
    with connection.cursor() as cursor:
        for name, (sql, columns) in _source_queries().items():
            cursor.execute(sql)
            rows = cursor.fetchall()
            values = list(zip(*rows, strict=True)) if rows else [[] for _ in columns]
            arrow = pa.table(
                {
                    column: pa.array(values[i], type=pa.int64() if column in ID_COLUMNS else pa.string())
                    for i, column in enumerate(columns)
                }
            )
            duck.register(f"{name}_arrow", arrow)
            select = ", ".join(
                f"CAST({column} AS DATE) AS {column}" if column in DATE_COLUMNS else column for column in columns
            )
            duck.execute(f"CREATE TABLE {name} AS SELECT {select} FROM {name}_arrow")
            duck.unregister(f"{name}_arrow")
    duck.execute("ALTER TABLE episodes ADD COLUMN adult DATE")
    duck.execute("UPDATE episodes SET adult = eighteenth(birth_date)")
    duck.execute("ALTER TABLE reports ADD COLUMN adult DATE")
    duck.execute("UPDATE reports SET adult = eighteenth(birth_date)")
    return OutcomeData(duck)


# --- the indicators --------------------------------------------------------------------------------
PERMANENCY = "('reunification', 'relative', 'guardianship', 'adoption')"

# Episodes that count for a period. A stay under 8 days is excluded from every child welfare
# indicator; an open episode's stay runs to the day after period_end. An open episode that begins
# after period_end (a re-entry seen later) has no stay within the period to measure, so it counts.
ELIGIBLE = """
CREATE TEMP TABLE eligible AS
SELECT p.period_id, p.ps, p.pe, e.*,
       -- The end of the child's days in care within the period, before the 18th birthday.
       least(coalesce(e.discharge_date, p.pe + 1), p.pe + 1, e.adult) AS counted_until
FROM periods p, episodes e
WHERE NOT (
    (e.discharge_date IS NOT NULL AND e.discharge_date - e.removal_date < 8)
    OR (e.discharge_date IS NULL AND e.removal_date <= p.pe AND (p.pe + 1) - e.removal_date < 8)
);
CREATE TEMP TABLE cohort AS
SELECT * FROM eligible
WHERE removal_date BETWEEN ps AND pe
QUALIFY row_number() OVER (PARTITION BY period_id, subject_id ORDER BY removal_date, id) = 1
    AND removal_date < adult;
"""

# Each returns: period_id, record_id, grp, num, den, wait.
COHORT_SQL = {
    "P1": f"""
        SELECT period_id, id, '', (discharge_reason IN {PERMANENCY}
            AND discharge_date <= plus_years(removal_date, 1) AND discharge_date < adult)::INT, 1, NULL
        FROM cohort""",
    "P2": f"""
        SELECT period_id, id, '', (discharge_reason IN {PERMANENCY}
            AND discharge_date <= pe AND discharge_date < adult)::INT, 1, NULL
        FROM eligible
        WHERE removal_date <= ps AND (discharge_date IS NULL OR discharge_date > ps) AND ps < adult
          AND removal_date <= minus_months(ps, 12) AND removal_date > minus_months(ps, 24)
        QUALIFY row_number() OVER (PARTITION BY period_id, subject_id ORDER BY removal_date DESC, id) = 1""",
    "P3": f"""
        SELECT period_id, id, '', (discharge_reason IN {PERMANENCY}
            AND discharge_date <= pe AND discharge_date < adult)::INT, 1, NULL
        FROM eligible
        WHERE removal_date <= ps AND (discharge_date IS NULL OR discharge_date > ps) AND ps < adult
          AND removal_date <= minus_months(ps, 24)
        QUALIFY row_number() OVER (PARTITION BY period_id, subject_id ORDER BY removal_date DESC, id) = 1""",
    "P4": """
        SELECT x.period_id, x.id, '', EXISTS (
            SELECT 1 FROM eligible n
            WHERE n.period_id = x.period_id AND n.subject_id = x.subject_id AND n.id <> x.id
              AND n.removal_date >= x.discharge_date AND n.removal_date <= plus_years(x.discharge_date, 1)
        )::INT, 1, NULL
        FROM cohort x
        WHERE x.discharge_reason IN ('reunification', 'relative', 'guardianship')
          AND x.discharge_date <= plus_years(x.removal_date, 1) AND x.discharge_date < x.adult""",
    "P5": """
        WITH firsts AS (SELECT episode_id, min(setting_start) AS first_start FROM settings GROUP BY episode_id)
        SELECT c.period_id, c.id, '',
            (SELECT count(*) FROM settings s JOIN firsts f ON f.episode_id = s.episode_id
             WHERE s.episode_id = c.id AND s.setting_start > f.first_start
               AND s.setting_start BETWEEN c.ps AND c.pe AND s.setting_start < c.adult
               AND s.setting_type NOT IN ('trial_home_visit', 'runaway')),
            greatest(c.counted_until - greatest(c.removal_date, c.ps), 0), NULL
        FROM cohort c""",
    "P6": """
        SELECT e.period_id, e.id, '',
            (SELECT count(*) FROM reports r
             WHERE r.subject_id = e.subject_id
               AND r.report_date >= greatest(e.removal_date, e.ps) AND r.report_date < e.counted_until
               AND r.report_date - e.removal_date > 7),
            e.counted_until - greatest(e.removal_date, e.ps), NULL
        FROM eligible e
        WHERE e.counted_until > greatest(e.removal_date, e.ps)""",
    "P7": """
        WITH indexed AS (
            SELECT p.period_id, r.* FROM periods p JOIN reports r ON r.report_date BETWEEN p.ps AND p.pe
            QUALIFY row_number() OVER (PARTITION BY p.period_id, r.subject_id ORDER BY r.report_date, r.id) = 1
        )
        SELECT i.period_id, i.id, '', EXISTS (
            SELECT 1 FROM reports again
            WHERE again.subject_id = i.subject_id AND again.report_date - i.report_date > 14
              AND again.report_date <= plus_years(i.report_date, 1)
        )::INT, 1, NULL
        FROM indexed i WHERE i.report_date < i.adult""",
    "T1": """
        WITH referred AS (
            SELECT p.period_id, r.id, r.referral_date,
                (SELECT min(a.admission_date) FROM admissions a
                 WHERE a.subject_id = r.subject_id AND a.admission_date >= r.referral_date) AS first_admission
            FROM periods p JOIN referrals r ON r.referral_date BETWEEN p.ps AND p.pe
        )
        SELECT period_id, id, '', coalesce(first_admission - referral_date <= 14, false)::INT, 1,
            CASE WHEN first_admission - referral_date <= 365 THEN first_admission - referral_date END
        FROM referred""",
    "T2": """
        SELECT p.period_id, a.id, '',
            (coalesce(a.discharge_date, p.as_of) - a.admission_date >= 90)::INT, 1, NULL
        FROM periods p JOIN admissions a
          ON a.admission_date BETWEEN p.ps AND p.pe AND a.admission_date <= p.as_of - 90""",
    "T3": """
        SELECT p.period_id, a.id, '', (a.discharge_reason = 'completed')::INT, 1, NULL
        FROM periods p JOIN admissions a ON a.discharge_date BETWEEN p.ps AND p.pe""",
    "J1": """
        SELECT period_id, id, '', (discharge_reason = 'reunification'
            AND discharge_date <= plus_years(removal_date, 1) AND discharge_date < adult)::INT, 1, NULL
        FROM cohort""",
    "J2": """
        SELECT c.period_id, c.id,
            CASE WHEN EXISTS (
                SELECT 1 FROM members child
                JOIN members parent ON parent.family_id = child.family_id AND parent.role = 'parent'
                JOIN admissions a ON a.subject_id = parent.subject_id
                WHERE child.subject_id = c.subject_id AND child.role = 'child'
                  AND a.discharge_reason = 'completed'
                  AND a.admission_date <= plus_years(c.removal_date, 1)
                  AND a.discharge_date >= minus_months(c.removal_date, 6)
            ) THEN 'with_completed_treatment' ELSE 'others' END,
            (c.discharge_reason = 'reunification'
             AND c.discharge_date <= plus_years(c.removal_date, 1) AND c.discharge_date < c.adult)::INT, 1, NULL
        FROM cohort c""",
    "J3": """
        WITH parents AS (
            SELECT c.period_id, parent.subject_id, min(c.removal_date) AS anchor
            FROM cohort c
            JOIN members child ON child.subject_id = c.subject_id AND child.role = 'child'
            JOIN members parent ON parent.family_id = child.family_id AND parent.role = 'parent'
            GROUP BY ALL
        ), first_referral AS (
            SELECT p.period_id, p.subject_id, r.id, r.referral_date FROM parents p
            JOIN referrals r ON r.subject_id = p.subject_id
             AND r.referral_date BETWEEN p.anchor - 60 AND p.anchor + 60
            QUALIFY row_number() OVER (PARTITION BY p.period_id, p.subject_id ORDER BY r.referral_date, r.id) = 1
        )
        SELECT f.period_id, f.id, '', EXISTS (
            SELECT 1 FROM admissions a WHERE a.subject_id = f.subject_id
              AND a.admission_date BETWEEN f.referral_date AND f.referral_date + 30
        )::INT, 1, NULL
        FROM first_referral f""",
}


@dataclass
class Figure:
    """One indicator (or one J2 group) for one period."""

    numerator: int
    denominator: int
    value: Decimal | None
    median_days: float | None = None
    reports_median: bool = False
    groups: dict[str, "Figure"] = field(default_factory=dict)

    def as_json(self) -> dict:
        if self.groups:
            return {name: group.as_json() for name, group in self.groups.items()}
        figure = {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else float(self.value),
        }
        if self.reports_median:
            median = self.median_days
            figure["median_days"] = int(median) if median is not None and median.is_integer() else median
        return figure


class OutcomeData:
    """A DuckDB database holding what the indicators need; compute figures and cohorts from it."""

    def __init__(self, duck: duckdb.DuckDBPyConnection) -> None:
        self.duck = duck
        self.latest_date = duck.execute(
            """SELECT max(d) FROM (
                SELECT max(removal_date) d FROM episodes UNION ALL SELECT max(discharge_date) FROM episodes
                UNION ALL SELECT max(setting_start) FROM settings UNION ALL SELECT max(report_date) FROM reports
                UNION ALL SELECT max(referral_date) FROM referrals UNION ALL SELECT max(admission_date) FROM admissions
                UNION ALL SELECT max(discharge_date) FROM admissions)"""
        ).fetchone()[0]
        self._periods: tuple = ()

    def _prepare(self, periods: Sequence[Period], as_of: date | None) -> None:
        key = (tuple(periods), as_of)
        if self._periods == key:
            return
        as_of = as_of or self.latest_date or date.today()
        duck = self.duck
        duck.execute("DROP TABLE IF EXISTS periods; DROP TABLE IF EXISTS eligible; DROP TABLE IF EXISTS cohort")
        duck.execute("DROP TABLE IF EXISTS results")
        duck.execute("CREATE TEMP TABLE periods (period_id INTEGER, ps DATE, pe DATE, as_of DATE)")
        duck.executemany(
            "INSERT INTO periods VALUES (?, ?, ?, ?)", [(i, p.start, p.end, as_of) for i, p in enumerate(periods)]
        )
        duck.execute(ELIGIBLE)
        union = " UNION ALL ".join(f"SELECT '{code}' AS indicator, * FROM ({sql})" for code, sql in COHORT_SQL.items())
        duck.execute(
            "CREATE TEMP TABLE results (indicator VARCHAR, period_id INTEGER, record_id BIGINT, grp VARCHAR,"
            " num BIGINT, den BIGINT, wait DOUBLE)"
        )
        duck.execute(f"INSERT INTO results {union}")
        self._periods = key

    def figures(self, periods: Sequence[Period], as_of: date | None = None) -> list[dict[str, Figure]]:
        """Every indicator for each period, in the order given."""
        self._prepare(periods, as_of)
        sums = self.duck.execute(
            "SELECT indicator, period_id, grp, sum(num), sum(den), median(wait) FROM results GROUP BY ALL"
        ).fetchall()
        found = {(indicator, period, grp): (int(n), int(d), m) for indicator, period, grp, n, d, m in sums}
        result = []
        for period_id in range(len(periods)):
            figures = {}
            for code in CODES:
                scale = BY_CODE[code].scale
                if code == "J2":
                    groups = {}
                    for group in J2_GROUPS:
                        n, d, _ = found.get((code, period_id, group), (0, 0, None))
                        groups[group] = Figure(n, d, scale.value(n, d))
                    figures[code] = Figure(
                        sum(g.numerator for g in groups.values()),
                        sum(g.denominator for g in groups.values()),
                        None,
                        groups=groups,
                    )
                    continue
                n, d, median = found.get((code, period_id, ""), (0, 0, None))
                figures[code] = Figure(n, d, scale.value(n, d), median, reports_median=code == "T1")
            result.append(figures)
        return result

    def cohort(self, code: str, period: Period, as_of: date | None = None) -> list[tuple[int, str, bool]]:
        """The records behind one indicator in one period: (record id, J2 group, counted in the numerator)."""
        self._prepare([period], as_of)
        return [
            (record_id, grp, bool(num))
            for record_id, grp, num in self.duck.execute(
                "SELECT record_id, grp, num FROM results WHERE indicator = ? AND period_id = 0 ORDER BY record_id",
                [code],
            ).fetchall()
        ]


def compute(period: Period, as_of: date | None = None) -> dict[str, Figure]:
    """All indicators for one period over everything in the database."""
    return load_outcome_data().figures([period], as_of)[0]
