"""Downloads of a 1,000-record basket in every format: file size and time, ILS calls and SQL statements.

Camille (2900000001) gets a basket of 1,000 distinct records of the default data set. The
emulator runs in a child process (`_emulator_process.py`, demo data set, no latency); the
gateway is `create_app` in this process behind httpx's ASGI transport (so the SQL statements
of each request can be counted with an SQLAlchemy event listener; the ILS calls come from the
emulator's counters, `GET /admin/stats`). For each format: the link (`me { baskets { export } }`),
then the file fetched `--rounds` times: the first with cold caches (the 1,000 records are read
from the ILS), the others warm (records in the gateway's reference cache); the account summary
of Camille and Léo in PDF, CSV and TSV too. Also the calls of `me { baskets { records { title } } }`
for 1 and for 20 baskets (the N+1 guard of tests/e2e/test_portal_baskets.py, as figures).

Not a test; tests never import it.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from _emulator_process import EmulatorProcess
from sqlalchemy import event
from sqlalchemy.engine import Engine

from emulator import db
from emulator.seed import CAMILLE
from gateway.app import create_app
from gateway.serve import seed_demo_portal
from gateway.settings import Settings

CAMILLE_PASSWORD = "14071985"
LEO = "2900000002"
RECORDS = 1000
LOGIN = 'mutation {{ login(identifier: "{}", password: "{}") {{ token errors {{ code }} }} }}'
CREATE = "mutation C($name: String!, $ids: [ID!]) { createBasket(name: $name, recordIds: $ids) { errors { code } } }"  # noqa: E501
EXPORT = "query E($f: ExportFormat!) { me { baskets { name recordCount export(format: $f) { url } } } }"
SUMMARY = (
    "query S($f: SummaryFormat!) { me { accountSummary(format: $f, content: LOANS_AND_HOLDS_WITH_DIGITAL,"
    f' accountIds: ["{CAMILLE}", "{LEO}"]) {{ url }} }} }}'
)
RECORDS_QUERY = "{ me { baskets { records { title } } } }"


@contextmanager
def sql_statements() -> Iterator[list[str]]:
    """Every SQL statement any engine of this process executes meanwhile."""
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


_TABLE = re.compile(r"^\s*(\w+)\b.*?\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", re.IGNORECASE | re.DOTALL)


def _sql_kinds(statements: list[str]) -> str:
    """The statements as a count and their kinds ("2 (SELECT baskets 1, SELECT sessions 1)")."""
    kinds = Counter(
        " ".join(match.groups()) if (match := _TABLE.match(statement)) else statement.split()[0]
        for statement in statements
    )
    listed = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    return f"{len(statements)} ({listed})" if statements else "0"


def title_ids(db_path: Path, count: int) -> list[str]:
    connection = db.connect(db_path)
    try:
        rows = connection.execute("SELECT id FROM titles ORDER BY id LIMIT ?", (count,)).fetchall()
    finally:
        connection.close()
    if len(rows) < count:
        raise RuntimeError(f"only {len(rows)} titles in the data set")
    return [row["id"] for row in rows]


class Probe:
    """One request at a time, with the ILS calls and SQL statements it caused."""

    def __init__(
        self, client: httpx.AsyncClient, admin: httpx.AsyncClient, headers: dict[str, str], cache: Any
    ) -> None:
        self.client, self.admin, self.headers, self.cache = client, admin, headers, cache

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        body: dict[str, Any] = response.json()
        if "errors" in body:
            raise RuntimeError(body["errors"])
        return body["data"]

    async def counted(self, request: Any) -> tuple[Any, float, str, str]:
        """The request's result, its wall time, its ILS calls and its SQL statements."""
        await self.admin.post("/stats/reset")
        with sql_statements() as statements:
            started = time.perf_counter()
            result = await request()
            elapsed = time.perf_counter() - started
        stats = (await self.admin.get("/stats")).json()
        calls = {**{f"sip2 {k}": v for k, v in stats["sip2"].items()}, **stats["soap"]}
        named = ", ".join(f"{name} {count}" for name, count in sorted(calls.items())) or "none"
        return result, elapsed, named, _sql_kinds(statements)

    async def download(self, url: str) -> httpx.Response:
        response = await self.client.get(urlsplit(url).path)
        if response.status_code != 200:
            raise RuntimeError(f"download answered {response.status_code}")
        return response


async def files(probe: Probe, kind: str, link_query: str, formats: list[str], rounds: int) -> None:
    for format in formats:
        data, _, link_calls, link_sql = await probe.counted(
            lambda f=format: probe.graphql(link_query, {"f": f})
        )
        url = (
            data["me"]["accountSummary"]["url"]
            if kind == "summary"
            else data["me"]["baskets"][-1]["export"]["url"]
        )
        times = []
        probe.cache.clear()  # the first download reads every record from the ILS
        for n in range(rounds):
            response, elapsed, calls, sql = await probe.counted(lambda u=url: probe.download(u))
            times.append(elapsed)
            if n == 0:
                cold_calls, cold_sql = calls, sql
            else:
                warm_calls, warm_sql = calls, sql
        warm = statistics.median(times[1:]) if rounds > 1 else float("nan")
        print(
            f"  {kind:8} {format:5} {len(response.content) / 1024:8.1f} KB   first {times[0] * 1000:7.0f} ms"
            f"   then median {warm * 1000:7.0f} ms (min {min(times[1:] or times) * 1000:.0f})"
        )
        print(f"             link: ILS {link_calls}; SQL {link_sql}")
        print(f"             file, first: ILS {cold_calls}; SQL {cold_sql}")
        if rounds > 1:
            print(f"             file, then:  ILS {warm_calls}; SQL {warm_sql}")


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ils_db = Path(folder) / "ils.db"
        print("seeding the emulator's default data set (about a minute)...")
        with EmulatorProcess(ils_db, size="demo") as emulator:
            gateway_db = f"sqlite+aiosqlite:///{folder}/gateway.sqlite"
            await seed_demo_portal(gateway_db)
            settings = Settings(
                ils_sip2_address=emulator.sip2_address,
                ils_soap_wsdl=emulator.wsdl_url,
                database_url=gateway_db,
                secret_key="bench-secret-key",  # type: ignore[arg-type]
            )
            app = create_app(settings, clock=lambda: datetime.now(UTC))
            transport = httpx.ASGITransport(app)
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(
                    transport=transport, base_url="http://gateway.bench", timeout=120
                ) as client,
                httpx.AsyncClient(base_url=emulator.admin_url) as admin,
            ):
                login = await client.post("/graphql", json={"query": LOGIN.format(CAMILLE, CAMILLE_PASSWORD)})
                token = login.json()["data"]["login"]["token"]
                client.cookies.clear()
                cache = app.state.runtime.reference_cache
                probe = Probe(client, admin, {"Authorization": f"Bearer {token}"}, cache)
                ids = title_ids(ils_db, RECORDS + 60)
                # N+1 figures: Camille's demo basket, then 19 more of 3 records each.
                # Cold reference cache both times: every record is read from the ILS.
                cache.clear()
                _, _, one_calls, one_sql = await probe.counted(lambda: probe.graphql(RECORDS_QUERY))
                for n in range(19):
                    await probe.graphql(
                        CREATE, {"name": f"Panier {n}", "ids": ids[RECORDS + 3 * n : RECORDS + 3 * n + 3]}
                    )
                cache.clear()
                _, _, twenty_calls, twenty_sql = await probe.counted(lambda: probe.graphql(RECORDS_QUERY))
                print(f"{RECORDS_QUERY}")
                print(f"  1 basket:   ILS {one_calls}; SQL {one_sql}")
                print(f"  20 baskets: ILS {twenty_calls}; SQL {twenty_sql}")
                await probe.graphql(CREATE, {"name": "Mille notices", "ids": ids[:RECORDS]})
                data = await probe.graphql(EXPORT, {"f": "CSV"})
                assert data["me"]["baskets"][-1]["recordCount"] == RECORDS
                print(f"Basket of {RECORDS} records; {rounds} downloads per format (first cold, then warm):")
                await files(probe, "basket", EXPORT, ["PDF", "CSV", "HTML", "RIS"], rounds)
                print("Account summary of Camille (7 loans, 3 holds) and Léo (2 loans), with digital loans:")
                await files(probe, "summary", SUMMARY, ["PDF", "CSV", "TSV"], rounds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="downloads per format (the first is cold)")
    asyncio.run(main(parser.parse_args().rounds))
