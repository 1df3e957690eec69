"""The database's schema compared with what the program's own migrations build.

A database file is more than its rows. A copy with a trigger planted in it (``AFTER INSERT
ON audit_log … UPDATE progress_report …``), a view or table of someone else's, or an index
changed, passes SQLite's integrity check and would run its SQL at the next save. So start-up,
``db check`` and every restore compare ``sqlite_master`` — every table, index, view and
trigger, by name and definition — with the schema the migrations produce for the revision
the file says it has, and refuse a file whose schema differs, naming what differs.

The expectation is *derived*, never kept by hand: the migrations are run on an empty
database one revision at a time (Alembic's own chain, so a revision added later is covered
without touching this module) and each revision's ``sqlite_master`` is read back. That costs
about half a second (Alembic's import and the DDL), so the result is kept per user in the
program's cache folder, keyed by a hash of the migration files and the versions of
SQLAlchemy and SQLite; a start reads one small JSON file. A missing or unreadable cache is rebuilt.

Definitions are compared after a light normalisation (case, whitespace, the quoting of plain
identifiers), so a database created by an earlier build whose SQL was laid out differently
still matches, while any change of a word, a name or a value does not. A database the
migrations built holds their very text, and a schema whose every definition is word for
word the expected one is not normalised at all (a few milliseconds of every start).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from desktop.core.file_retry import remove_file, replace_file
from desktop.errors import clip
from desktop.paths import cache_dir, migrations_path

log = logging.getLogger(__name__)

CACHE_FORMAT = 2  # 2: each definition as written
# kept by SQLite itself: AUTOINCREMENT counters and ANALYZE's statistics
_INTERNAL = frozenset(
    {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}
)
_KINDS = {"table": "表", "index": "索引", "view": "视图", "trigger": "触发器"}
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'"""  # a string literal, kept as written
    r"""|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]"""  # a quoted identifier
    r"|\s+"
    r"|[A-Za-z_][A-Za-z0-9_$]*"
    r"|.",
    re.DOTALL,
)
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")


@dataclass(frozen=True)
class SchemaObject:
    """One row of ``sqlite_master``: its kind, name, table, and definition as written
    (empty for SQLite's own indexes of a table's constraints)."""

    kind: str
    name: str
    table: str
    written: str

    @cached_property
    def sql(self) -> str:
        """The definition normalised (:func:`normalise_sql`): what is compared."""
        return normalise_sql(self.written)


Schema = dict[tuple[str, str], SchemaObject]


def normalise_sql(sql: str | None) -> str:
    """``sql`` with case, whitespace and the quoting of plain identifiers made uniform.

    String literals keep their case and spaces; a quoted identifier that is not a plain
    name (``"a b"``) keeps its quotes, so two different statements never fold together.
    """
    if sql is None:
        return ""
    out: list[str] = []
    for token in _TOKEN.findall(sql):
        if token.isspace():
            out.append(" ")
            continue
        if token[0] in '"`[':
            inner = token[1:-1]
            token = inner.lower() if _PLAIN_NAME.match(inner) else token
        elif token[0] != "'":
            token = token.lower()
        out.append(token)
    text = "".join(out).strip()
    # spaces next to punctuation are layout, not meaning
    return re.sub(r" ?([(),;=]) ?", r"\1", re.sub(r" +", " ", text))


def read_schema(conn: sqlite3.Connection) -> Schema:
    """Every table, index, view and trigger of the database behind ``conn``."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    schema: Schema = {}
    for kind, name, table, sql in rows:
        if str(name) in _INTERNAL:
            continue
        obj = SchemaObject(str(kind), str(name), str(table), "" if sql is None else str(sql))
        schema[(obj.kind, obj.name)] = obj
    return schema


_ORDER = {"trigger": 0, "view": 1, "table": 2, "index": 3}


def differences(actual: Schema, expected: Schema) -> list[str]:
    """What differs, in Chinese, one phrase per object: extra ones first (triggers and
    views before tables and indexes: they are what runs SQL), then changed, then missing."""

    def order(key: tuple[str, str]) -> tuple[int, str]:
        return (_ORDER.get(key[0], 9), key[1])

    found: list[str] = []
    for key in sorted(actual.keys() - expected.keys(), key=order):
        obj = actual[key]
        on = f"（在表 {clip(obj.table, 40)} 上）" if obj.kind in ("trigger", "index") else ""
        found.append(f"多出{_kind(obj.kind)} {clip(obj.name, 40)}{on}")
    for key in sorted(actual.keys() & expected.keys(), key=order):
        have, want = actual[key], expected[key]
        if have.table != want.table or have.sql != want.sql:
            found.append(f"{_kind(have.kind)} {clip(have.name, 40)} 的定义被改动过")
    for key in sorted(expected.keys() - actual.keys(), key=order):
        found.append(f"缺少{_kind(key[0])} {key[1]}")
    return found


def as_written(actual: Schema, expected: Schema) -> bool:
    """The same objects, each on the same table and defined in the very same words: no
    difference, without normalising (:func:`differences` would find none)."""
    if actual.keys() != expected.keys():
        return False
    return all(
        have.written == want.written and have.table == want.table
        for have, want in ((actual[key], expected[key]) for key in actual)
    )


def _kind(kind: str) -> str:
    return _KINDS.get(kind, f"对象（{clip(kind, 20)}）")


def schema_problem(conn: sqlite3.Connection, revision: str) -> str | None:
    """None when the schema behind ``conn`` is exactly revision ``revision``'s, else what
    differs in Chinese (the first three objects; all of them go to the log).

    A revision this program does not know (a newer program's) is not judged here: opening
    refuses such a database anyway, and a restore says so on its own.
    """
    expected = expected_schemas().get(revision)
    if expected is None:
        return None
    actual = read_schema(conn)
    if as_written(actual, expected):
        return None
    found = differences(actual, expected)
    if not found:
        return None
    log.error("数据库结构与版本 %s 不符：%s", revision, "；".join(found))
    more = f"；共 {len(found)} 处，详见日志" if len(found) > 3 else ""
    return "；".join(found[:3]) + more


# ------------------------------------------------------------------ the expectation


_memo: dict[str, dict[str, Schema]] = {}


def expected_schemas() -> dict[str, Schema]:
    """The schema of every revision the migrations know, built once per program version."""
    key = fingerprint()
    if key in _memo:
        return _memo[key]
    cached = _read_cache(key)
    if cached is None:
        cached = build_expected_schemas()
        _write_cache(key, cached)
    _memo[key] = cached
    return cached


def fingerprint() -> str:
    """A hash of what decides the schema: the migration files, SQLAlchemy (which writes
    their DDL) and SQLite."""
    versions = f"{CACHE_FORMAT}|{sqlalchemy_version()}|{sqlite3.sqlite_version}"
    digest = hashlib.sha256(versions.encode())
    folder = migrations_path()
    for path in sorted([folder / "env.py", *(folder / "versions").glob("*.py")]):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def sqlalchemy_version() -> str:
    """SQLAlchemy's version, read from its package file without importing it: a read-only
    command (``ledger pdf``) never loads SQLAlchemy, whose import costs far more than this.
    Where the package is not a readable file (a frozen program), it is imported."""
    import importlib.util
    import re

    try:
        spec = importlib.util.find_spec("sqlalchemy")
        if spec is not None and spec.origin:
            text = Path(spec.origin).read_text(encoding="utf-8")
            found = re.search(r"^__version__\s*=\s*[\"']([^\"']+)[\"']", text, re.MULTILINE)
            if found:
                return found.group(1)
    except (OSError, ValueError, ImportError, UnicodeDecodeError):
        pass
    import sqlalchemy

    return str(sqlalchemy.__version__)


def build_expected_schemas() -> dict[str, Schema]:
    """Run the migrations on an empty database, one revision after another, reading back
    ``sqlite_master`` after each (the migrations' own chain, oldest first)."""
    from desktop.db.migrate import revision_chain, upgrade

    schemas: dict[str, Schema] = {}
    with tempfile.TemporaryDirectory(prefix="policy-ledger-schema-") as folder:
        db = Path(folder) / "expected.sqlite3"
        for revision in revision_chain():
            upgrade(db, revision)
            conn = sqlite3.connect(db)
            try:
                schemas[revision] = read_schema(conn)
            finally:
                conn.close()
    return schemas


def _cache_file(key: str) -> Path:
    return cache_dir() / f"schema-{key[:24]}.json"


def _read_cache(key: str) -> dict[str, Schema] | None:
    path = _cache_file(key)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != CACHE_FORMAT or data.get("fingerprint") != key:
            return None
        return {
            revision: {(o[0], o[1]): SchemaObject(*o) for o in objects}
            for revision, objects in data["revisions"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError) as err:
        log.warning("结构缓存无法读取，将重新生成：%s", err)
        return None


def _write_cache(key: str, schemas: dict[str, Schema]) -> None:
    """Keep the expectation for the next start; a cache folder that cannot be written only
    costs the next start the half second again."""
    path = _cache_file(key)
    body = {
        "format": CACHE_FORMAT,
        "fingerprint": key,
        "revisions": {
            revision: [[o.kind, o.name, o.table, o.written] for o in _ordered(schema.values())]
            for revision, schema in schemas.items()
        },
    }
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=path.name, suffix=".part", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(body, out, ensure_ascii=False)
        replace_file(tmp, path)
        for old in path.parent.glob("schema-*.json"):
            if old != path:
                with contextlib.suppress(OSError):
                    remove_file(old)
    except OSError as err:
        log.warning("结构缓存无法写入（%s）：%s", path, err)
        if tmp is not None:
            with contextlib.suppress(OSError):
                remove_file(tmp)


def _ordered(objects: Iterable[SchemaObject]) -> list[SchemaObject]:
    return sorted(objects, key=lambda o: (o.kind, o.name))
