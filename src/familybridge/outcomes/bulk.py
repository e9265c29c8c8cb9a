"""Writing many rows fast: COPY on PostgreSQL, one prepared statement for a whole batch on SQLite.

Model instances and Django's per-object SQL cost more than the import itself at extract sizes, so
rows go in as tuples of database values. These writes bypass the per-row audit signals on purpose:
the import records one summary event instead.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection
from django.db.models import Model

BATCH = 50_000
COPY_BLOCK = 10_000
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


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
    """Insert rows of database values into the model's table; returns how many.

    On PostgreSQL, rows that carry their allocated "id" are checked against their foreign keys in
    bulk when the database user may (see `_insert_checked_in_bulk`); otherwise per row, at commit.
    """
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if "id" in columns and _may_skip_triggers(cursor):
                return _insert_checked_in_bulk(cursor, model, columns, rows)
            return _copy(cursor, _table(model), names, rows, len(columns))
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


def _copy(cursor: Any, table: str, names: str, rows: Iterable[Sequence[Any]], width: int) -> int:
    written = 0
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for block, count in copy_blocks(rows, width):
            copy.write(block)
            written += count
    return written


def _may_skip_triggers(cursor: Any) -> bool:
    """Whether this database user may set session_replication_role (a superuser, or granted SET on it)."""
    if connection.pg_version >= 150000:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    else:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    return cursor.fetchone()[0]


def _insert_checked_in_bulk(cursor: Any, model: type[Model], columns: Sequence[str], rows: Iterable) -> int:
    """COPY without the per-row foreign key triggers, then check every reference of the new rows at once.

    PostgreSQL checks a foreign key with one query per inserted row, at commit: at extract sizes
    that is most of the import. Here the COPY runs without those triggers (session_replication_role)
    and each foreign key is then checked with one query over the new rows (their allocated ids);
    a dangling reference raises IntegrityError, so the import's transaction writes nothing. The
    referenced tables are locked against changes until the import commits, as the row locks of the
    per-row checks would. Unique indexes and check constraints apply as always.
    """
    table, names = _table(model), ", ".join(connection.ops.quote_name(c) for c in columns)
    references = [f for f in model._meta.concrete_fields if f.is_relation and f.column in columns]
    for target in {_table(f.related_model) for f in references}:
        cursor.execute(f"LOCK TABLE {target} IN SHARE MODE")
    cursor.execute("SELECT coalesce(max(id), 0) FROM " + table)  # noqa: S608 (a model's own table)
    after = cursor.fetchone()[0]
    cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        written = _copy(cursor, table, names, rows, len(columns))
    finally:
        cursor.execute("SET LOCAL session_replication_role = origin")
    for field in references:
        _check_references(cursor, model, field, after)
    return written


def _check_references(cursor: Any, model: type[Model], field: Any, after: int) -> None:
    """Raise IntegrityError, as the foreign key would, when a row inserted after id `after` points at no row."""
    column = connection.ops.quote_name(field.column)
    target = _table(field.related_model)
    key = connection.ops.quote_name(field.target_field.column)
    cursor.execute(
        f"SELECT count(*) FROM {_table(model)} AS new WHERE new.id > %s AND new.{column} IS NOT NULL "  # noqa: S608
        f"AND NOT EXISTS (SELECT 1 FROM {target} AS t WHERE t.{key} = new.{column})",
        [after],
    )
    dangling = cursor.fetchone()[0]
    if dangling:
        raise IntegrityError(
            f"{model._meta.db_table}.{field.column}: {dangling} new row(s) refer to no row of "
            f"{field.related_model._meta.db_table}."
        )


def copy_blocks(rows: Iterable[Sequence[Any]], width: int) -> Iterator[tuple[str, int]]:
    """Rows as blocks of COPY text, with how many rows each holds.

    Extract values rarely hold a tab, line break or backslash, so a block is first joined as is,
    with NUL (which PostgreSQL text cannot hold) standing for NULL; counting its separators proves
    no value needed escaping. Only a block that fails the count is formatted value by value.
    """
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == COPY_BLOCK:
            yield _copy_block(batch, width), len(batch)
            batch = []
    if batch:
        yield _copy_block(batch, width), len(batch)


def _copy_block(rows: list[Sequence[Any]], width: int) -> str:
    nulls = 0
    lines = []
    for row in rows:
        nulls += row.count(None)
        lines.append("\t".join(["\0" if value is None else str(value) for value in row]))
    block = "\n".join(lines) + "\n"
    if (
        block.count("\t") == len(rows) * (width - 1)
        and block.count("\n") == len(rows)
        and block.count("\0") == nulls
        and "\\" not in block
        and "\r" not in block
    ):
        return block.replace("\0", "\\N")
    return "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows)


def _copy_value(value: Any) -> str:
    """One value in COPY's text format: backslash escapes for the characters that delimit it."""
    if value is None:
        return "\\N"
    return str(value).translate(COPY_ESCAPES)


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
