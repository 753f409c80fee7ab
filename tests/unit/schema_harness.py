"""Runs GraphQL documents through the real schema with a Context over FakeIls, the fake store and FakeAuth."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from strawberry.types import ExecutionResult

from adapters.store.port import PortalStore
from schema.cache import MemoryReferenceCache
from schema.context import Context, Viewer
from schema.loaders import create_loaders
from schema.root import build_schema
from tests.fakes import FakeAuth, FakeIls, demo_store
from tests.fakes_demo import CAMILLE, HUGO, INES, LEO, LUCIE, NADIA

SCHEMA = build_schema()

ANONYMOUS: Viewer | None = None
STAFF = Viewer(patron_id=None, is_staff=True)

__all__ = [
    "ANONYMOUS",
    "CAMILLE",
    "HUGO",
    "INES",
    "LEO",
    "LUCIE",
    "NADIA",
    "STAFF",
    "Harness",
    "as_patron",
    "codes",
]


def as_patron(card: str) -> Viewer:
    return Viewer(patron_id=card, session_id=f"session-{card}")


@dataclass
class Harness:
    """One fake ILS and store shared by several requests (each request gets fresh loaders)."""

    ils: FakeIls = field(default_factory=FakeIls)
    store: PortalStore = field(default_factory=demo_store)
    cache: MemoryReferenceCache = field(default_factory=MemoryReferenceCache)

    async def run(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        viewer: Viewer | None = ANONYMOUS,
        language: str = "fr",
    ) -> ExecutionResult:
        context = Context(
            viewer=viewer,
            ils=self.ils,
            store=self.store,
            auth=FakeAuth(self.ils),
            loaders=create_loaders(self.ils, self.store, self.cache),
            now=datetime.combine(self.ils.today, time(9, 0), UTC),
            language=language,
            today=self.ils.today,
        )
        return await SCHEMA.execute(document, variable_values=variables, context_value=context)

    async def data(self, document: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """The result's data, asserting there was no error."""
        result = await self.run(document, variables, **kwargs)
        assert result.errors is None, result.errors
        return result.data


def codes(result: ExecutionResult) -> list[str]:
    """The `extensions.code` of each error, in order."""
    return [(error.extensions or {}).get("code", "") for error in result.errors or ()]
