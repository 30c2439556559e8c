"""Engines, sessions and a unit of work for SQLite (embedded) and PostgreSQL (production)."""
from __future__ import annotations

import json
import select
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, MetaData, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.base import Executable
from sqlalchemy.types import TypeDecorator

from .files import private_file
from .metrics import instrument_pool

# One naming convention so that Alembic migrations name constraints the same on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no offset) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine for `url`: SQLite in WAL mode with real BEGIN IMMEDIATE support, or a pooled PostgreSQL.

    A SQLite file (and a directory created for it) is readable by its owner only: it holds secrets.
    """
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            private_file(database)  # SQLite would create it world-readable; its -wal and -shm files copy its mode
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_transactions(engine)
        return engine
    # Sessions in UTC whatever the server's default: single_read hands out the driver's aware datetimes.
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800,
                           connect_args={"options": "-c TimeZone=UTC"}, json_deserializer=_json_loads)
    _checked_on_checkout(engine)
    return engine


_JSON = json.JSONDecoder()


def _json_loads(data: bytes) -> Any:
    """json.loads of the UTF-8 the server sends: without its Python-level detection of the encoding (UTF-16, 32
    or a byte order mark, none of which PostgreSQL sends), 1.9 -> 0.9 us a value (20 a page of trainers)."""
    return _JSON.decode(data.decode())


# A pooled connection idle longer than this is pinged before use (a silent network drop sends no FIN).
PING_AFTER_IDLE_SECONDS = 10.0


def _checked_on_checkout(engine: Engine) -> None:
    """A dead pooled connection is replaced before a request sees it, at no round trip in the common case.

    A server restart, `pg_terminate_backend` or an idle timeout closes the socket (or leaves a FATAL message
    in it): an idle connection with anything to read is dead, and is replaced without a query. One idle longer
    than PING_AFTER_IDLE_SECONDS is pinged too. `pool_pre_ping` instead spent a round trip on every checkout.
    Raising DisconnectionError in "checkout" makes the pool reconnect (SQLAlchemy's documented pessimistic
    handling); a disconnect met mid-query still invalidates every older connection of the pool.
    """

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop("idle_since", None)
        if since is None:  # just connected
            return
        if _hung_up(dbapi_connection) or (time.monotonic() - since > PING_AFTER_IDLE_SECONDS
                                          and not _answers(engine, dbapi_connection)):
            raise DisconnectionError("pooled connection closed by the server")


def _hung_up(dbapi_connection: Any) -> bool:
    """True when an idle connection is closed, broken, or has anything to read (EOF or a server's FATAL)."""
    if dbapi_connection.closed:
        return True
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def _answers(engine: Engine, dbapi_connection: Any) -> bool:
    try:
        return engine.dialect.do_ping(dbapi_connection)
    except Exception:
        return False


def _sqlite_transactions(engine: Engine) -> None:
    """pysqlite's own BEGIN handling is off; we emit BEGIN or BEGIN IMMEDIATE (for writers)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """One service's database: its engine, a session factory and the unit of work."""

    def __init__(self, url: str, metadata: MetaData, *, pool_size: int = 5) -> None:
        self.url = url
        self.metadata = metadata
        self.engine = make_engine(url, pool_size=pool_size)
        instrument_pool(self.engine)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._after_commit: list[Callable[[], None]] = []

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call `callback` after every committed unit of work (the relay listens here)."""
        self._after_commit.append(callback)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def unit_of_work(self, write: bool = True) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on any exception.

        Writers on SQLite take the write lock up front (BEGIN IMMEDIATE) so that a
        read-then-write check cannot interleave with another writer.
        """
        session = self._sessions()
        session.info["read_only"] = not write  # single_read may leave the session for its own connection
        try:
            if write and self.is_sqlite:
                session.connection(execution_options={"sqlite_immediate": True})
            yield session
            if write or session.in_transaction():  # a read that only ran single_read began none: nothing to end
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        if write:
            for callback in self._after_commit:
                callback()

    def create_all(self) -> None:
        """Create the schema directly (embedded mode and tests; production migrates with Alembic)."""
        self.metadata.create_all(self.engine)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def upsert(session: Session, model: Any) -> Any:
    """INSERT for `model` with ON CONFLICT support (`.on_conflict_do_nothing()`), on SQLite as on PostgreSQL."""
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(model)


def single_read(session: Session, statement: Executable, params: dict[str, Any], *,
                plan_each_time: bool = False) -> Sequence[Any]:
    """The rows of a read that is one statement, outside any transaction (the hottest reads: GET /auth/me, the
    trainer list and profile). Rows have attribute access, values are the driver's (a timestamptz is aware).

    On PostgreSQL it runs in autocommit on a pooled connection of its own (one round trip, not BEGIN, the
    statement, COMMIT; a single statement sees one snapshot either way), compiled once and then prepared by
    psycopg, without the ORM session's and the Core result's per-call work: that work was most of the CPU of a
    read. Listeners of the engine's `before_cursor_execute` still see the statement (query counts). On SQLite,
    in a writing unit of work (even as its first statement), inside a transaction, and for a statement with
    parameters expanded at run time, the session runs it.

    `plan_each_time`: never prepared, so that PostgreSQL plans it with the request's values. A statement whose
    best plan depends on them (a page's depth, a search's selectivity) would otherwise get, after five runs,
    the generic plan made for no values in particular: for the trainer list a scan of every trainer, 1.0 instead
    of 0.8 ms a page and 1.8 instead of 0.9 ms a search.
    """
    engine = session.get_bind()
    alone = engine.dialect.name == "postgresql" and session.info.get("read_only") and not session.in_transaction()
    compiled = _compiled(statement, engine) if alone else None
    if compiled is None:
        return session.connection().execute(statement, params).all()
    from psycopg.rows import namedtuple_row  # PostgreSQL's driver is an extra (embedded mode runs without it)

    values = compiled.construct_params(params)
    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        connection.autocommit = True
        try:
            with connection.cursor(row_factory=namedtuple_row) as cursor:
                if engine.dispatch.before_cursor_execute:
                    engine.dispatch.before_cursor_execute(None, cursor, compiled.string, values, None, False)
                return cursor.execute(compiled.string, values, prepare=False if plan_each_time else None).fetchall()
        finally:
            if not connection.closed:
                connection.autocommit = False
    except engine.dialect.loaded_dbapi.Error as error:
        if connection.closed or connection.broken:
            pooled.invalidate(error)  # the pool must not hand out a dead connection again
        raise DBAPIError.instance(compiled.string, values, error, engine.dialect.loaded_dbapi.Error) from error
    finally:
        pooled.close()


_COMPILED: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _compiled(statement: Executable, engine: Engine) -> Any:
    """The statement compiled for PostgreSQL, once per statement object (hot reads build theirs once, as module
    constants); None if it must be compiled per call (parameters expanded at run time)."""
    compiled = _COMPILED.get(statement, False)
    if compiled is False:
        compiled = statement.compile(dialect=engine.dialect)
        if compiled.post_compile_params:
            compiled = None
        _COMPILED[statement] = compiled
    return compiled


R = TypeVar("R")


class UnitOfWork(Generic[R]):
    """A transaction that hands out a service's repositories (its adapters/repository.py) bound to it.

    `with uow() as repos:` commits when the block ends and rolls back on any exception; use cases
    call repositories only, never SQL (`uow(write=False)` for reads).
    """

    def __init__(self, db: Database, repositories: Callable[[Session], R]) -> None:
        self.db, self._repositories = db, repositories

    @contextmanager
    def __call__(self, write: bool = True) -> Iterator[R]:
        with self.db.unit_of_work(write) as session:
            yield self._repositories(session)
