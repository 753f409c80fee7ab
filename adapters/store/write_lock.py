"""The per-patron write lock: the first statement of every portal write that checks a limit.

Owns `lock_patron` and `locked_write` (one transaction after the lock; a `Refused` raised
inside rolls it back and becomes the answer). The lock is an upsert of the patron's row in
patron_write_locks: on PostgreSQL it locks that row until the transaction ends, on SQLite
it takes the database's write lock; either way a concurrent write of the same patron waits,
then counts what the first one committed. Never holds data; never used outside a transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.store.port import PortalRefusal
from adapters.store.tables import PatronWriteLockRow

T = TypeVar("T")


class Refused(Exception):
    """Raised inside a locked write to roll it back; carries the refusal."""

    def __init__(self, refusal: PortalRefusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


async def lock_patron(session: AsyncSession, patron_id: str) -> None:
    """Serialize this transaction with every other locked write of `patron_id`."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(PatronWriteLockRow).values(patron_id=patron_id, writes=1)
    statement = statement.on_conflict_do_update(
        index_elements=[PatronWriteLockRow.patron_id], set_={"writes": PatronWriteLockRow.writes + 1}
    )
    await session.execute(statement)


async def locked_write(
    sessions: async_sessionmaker[AsyncSession], patron_id: str, write: Callable[[AsyncSession], Awaitable[T]]
) -> T | PortalRefusal:
    """`write` in one transaction after the patron's write lock; a refusal rolls it back."""
    try:
        async with sessions.begin() as session:
            await lock_patron(session, patron_id)
            return await write(session)
    except Refused as refused:
        return refused.refusal
    except IntegrityError:
        # A unique name is the only constraint a portal write can break (checked first, so this
        # is rare): refused like a name found taken, never an internal error.
        return PortalRefusal.NAME_TAKEN
