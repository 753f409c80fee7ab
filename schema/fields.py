"""Typed wrappers of `strawberry.field` and `strawberry.mutation` for resolvers with a description.

Strawberry types the keyword-only decorator form as `Any`, which mypy --strict
rejects as an untyped decorator; these keep the resolver's own type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def described(description: str, *, name: str | None = None) -> Callable[[F], F]:
    """`@strawberry.field(description=...)`, typed."""

    def decorate(resolver: F) -> F:
        return cast(F, strawberry.field(description=description, name=name)(resolver))

    return decorate


def described_mutation(description: str) -> Callable[[F], F]:
    """`@strawberry.mutation(description=...)`, typed."""

    def decorate(resolver: F) -> F:
        return cast(F, strawberry.mutation(description=description)(resolver))

    return decorate
