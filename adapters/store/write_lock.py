"""The per-patron write lock: the first statement of every portal write that checks a limit.

Owns `lock_patron`. An upsert of the patron's row in patron_write_locks: on PostgreSQL it
locks that row until the transaction ends, on SQLite it takes the database's write lock;
either way a concurrent write of the same patron waits, then counts what the first one
committed. Never holds data; never used outside a transaction.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.store.tables import PatronWriteLockRow


async def lock_patron(session: AsyncSession, patron_id: str) -> None:
    """Serialize this transaction with every other locked write of `patron_id`."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(PatronWriteLockRow).values(patron_id=patron_id, writes=1)
    statement = statement.on_conflict_do_update(
        index_elements=[PatronWriteLockRow.patron_id], set_={"writes": PatronWriteLockRow.writes + 1}
    )
    await session.execute(statement)
