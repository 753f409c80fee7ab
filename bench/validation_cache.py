"""Parse + validate cost per request of the dashboard query, with and without effective caches.

Prints, for each way of configuring the schema's extensions, the mean time Strawberry spends
parsing and validating one request (measured by a timing extension around those phases),
over N requests of the same document — the common case of a frontend's fixed operations:

- no-cache:      no limits, no ParserCache/ValidationCache (graphql-core's rules every time);
- lambda:        limiters and caches passed as `lambda:` factories (the Strawberry 0.341 trap:
                 each request builds new rule classes, so ValidationCache never hits);
- gateway:       the gateway's DocumentGuard (gateway/security.py): one linear measure and
                 the validation result cached per document (bounded by bytes).

Usage: python bench/validation_cache.py [--requests 300]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from adapters.store.port import PortalStore
from gateway.security import schema_extensions
from gateway.settings import Settings
from schema.context import Context
from schema.loaders import create_loaders
from schema.root import build_schema

DASHBOARD = Path(__file__).resolve().parents[1] / "contract" / "operations" / "dashboard.graphql"

_timings: dict[str, list[float]] = {"parse": [], "validate": []}


class _Timer(SchemaExtension):
    """Wall time of the parse and validate phases (it wraps the other extensions' hooks)."""

    def on_parse(self) -> Iterator[None]:
        start = time.perf_counter()
        yield
        _timings["parse"].append(time.perf_counter() - start)

    def on_validate(self) -> Iterator[None]:
        start = time.perf_counter()
        yield
        _timings["validate"].append(time.perf_counter() - start)


Configuration = tuple[Sequence[Any], Sequence[Any]]  # (extensions, prebuilt validation rules)


# The document here reads nothing from the store.
_NO_STORE = PortalStore(**{f.name: None for f in dataclasses.fields(PortalStore)})


def _configurations(settings: Settings) -> dict[str, Configuration]:
    return {
        "no-cache": ([_Timer], ()),
        "lambda": (
            [
                _Timer,
                lambda: QueryDepthLimiter(max_depth=settings.query_max_depth),
                lambda: MaxAliasesLimiter(max_alias_count=settings.query_max_aliases),
                lambda: MaxTokensLimiter(max_token_count=settings.query_max_tokens),
                lambda: ParserCache(maxsize=256),
                lambda: ValidationCache(maxsize=256),
            ],
            (),
        ),
        "gateway": ([_Timer, *schema_extensions(settings)], ()),
    }


async def _measure(configuration: Configuration, query: str, requests: int) -> tuple[float, float]:
    extensions, rules = configuration
    schema = build_schema(extensions, validation_rules=rules)
    context_factory: Callable[[], Context] = lambda: Context(  # noqa: E731
        viewer=None,
        ils=None,
        store=None,
        auth=None,
        loaders=create_loaders(None, _NO_STORE),  # type: ignore[arg-type]
    )
    for key in _timings:
        _timings[key].clear()
    for _ in range(requests):
        result = await schema.execute(query, context_value=context_factory())
        assert not result.errors, result.errors
    # The first request fills the caches: report the steady state.
    parse = sum(_timings["parse"][1:]) / (requests - 1)
    validate = sum(_timings["validate"][1:]) / (requests - 1)
    return parse, validate


async def _main(requests: int) -> None:
    settings = Settings(secret_key="bench")
    query = DASHBOARD.read_text()
    configurations = _configurations(settings)
    print(f"dashboard query, {requests} requests, mean per request (steady state)")
    print(f"{'configuration':<12} {'parse µs':>10} {'validate µs':>12} {'total µs':>10}")
    for name, configuration in configurations.items():
        parse, validate = await _measure(configuration, query, requests)
        print(f"{name:<12} {parse * 1e6:>10.1f} {validate * 1e6:>12.1f} {(parse + validate) * 1e6:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300)
    asyncio.run(_main(parser.parse_args().requests))


if __name__ == "__main__":
    main()
