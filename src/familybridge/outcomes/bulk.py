"""Writing many rows fast: COPY on PostgreSQL, one prepared statement for a whole batch on SQLite.

Model instances and Django's per-object SQL cost more than the import itself at extract sizes, so
rows go in as tuples of database values. These writes bypass the per-row audit signals on purpose:
the import records one summary event instead.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Model

BATCH = 50_000


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def allocate_ids(model: type[Model], count: int) -> range:
    """Primary keys for rows about to be inserted, so later rows can point at them without a read back.

    Call inside the import's transaction: on SQLite it holds the write lock; on PostgreSQL the
    table is locked against other writers and the sequence moved past the block.
    """
    if count == 0:
        return range(0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Until the import commits, no other writer inserts here (and so takes numbers meanwhile).
            cursor.execute(f"LOCK TABLE {_table(model)} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [model._meta.db_table, model._meta.db_table, count],
            )
            last = cursor.fetchone()[0]
            return range(last - count + 1, last + 1)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table(model)}")  # noqa: S608 (a model's own table)
        first = cursor.fetchone()[0] + 1
    return range(first, first + count)


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows of database values into the model's table; returns how many."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_table(model)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        sql = f"INSERT INTO {_table(model)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def db_timestamp(moment: datetime) -> Any:
    """A datetime as the database driver takes it (SQLite stores text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def as_text(value: Any) -> str | None:
    """A stored value as the extract writes it, so stored and incoming rows compare exactly."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
