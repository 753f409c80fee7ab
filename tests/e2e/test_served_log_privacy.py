"""The served gateway's log holds no birth date, token, e-mail or card number, whatever is asked.

Runs the real CLI (`ils-gateway serve --demo`, production mode: JSON lines) in a subprocess,
drives it through every contract operation, failing requests, bad sign-ins, refused bodies
and an ILS outage (the demo ILS's admin API), then reads every line of its stderr.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract_files import operation
from tests.e2e.conftest import DEMO_PASSWORDS, LOGIN

CLI = [sys.executable, "-m", "gateway.cli"]
STAFF_TOKEN = "staff-token-for-the-log-test"
E_MAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Served:
    graphql: str
    ils_admin: str
    log: Path
    ils_db: Path
    process: asyncio.subprocess.Process

    async def stop(self) -> str:
        """Stop the gateway (Ctrl-C) and return everything it wrote to stderr."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
            await asyncio.wait_for(self.process.wait(), timeout=30)
        return self.log.read_text(encoding="utf-8", errors="replace")


async def _read_banner(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    while not any(line.startswith("  2900000006") for line in lines):
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        assert line, "the server stopped before printing its banner"
        lines.append(line.decode())
    return "".join(lines)


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    environment = {
        **os.environ,
        "GATEWAY_ENV": "production",
        "GATEWAY_SECRET_KEY": "a-secret-key-for-the-log-test",
        "GATEWAY_STAFF_TOKENS": STAFF_TOKEN,
        "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gw.sqlite'}",
    }
    log = tmp_path / "serve.log"
    ils_db = tmp_path / "ils.sqlite"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            *CLI,
            *("serve", "--demo", "--port", "0", "--demo-sip2-port", "0", "--demo-soap-port", "0"),
            *("--demo-db", str(ils_db)),
            stdout=asyncio.subprocess.PIPE,
            stderr=sink,
            env=environment,
            cwd=tmp_path,
        )
        try:
            banner = await _read_banner(process)
        except BaseException:
            process.kill()
            await process.wait()
            raise
        urls = re.search(r"GraphiQL\s+(\S+).*ILS admin\s+(\S+)", banner, re.DOTALL)
        served = Served(urls.group(1) if urls else "", urls.group(2) if urls else "", log, ils_db, process)
        try:
            assert urls, banner
            yield served
        finally:
            await served.stop()


def _birth_date_spellings(born: date) -> set[str]:
    d, m, y = f"{born.day:02d}", f"{born.month:02d}", f"{born.year:04d}"
    return {
        f"{d}{m}{y}",
        f"{y}{m}{d}",
        f"{y}-{m}-{d}",
        f"{d}/{m}/{y}",
        f"{d}-{m}-{y}",
        f"{d}.{m}.{y}",
        f"{y}/{m}/{d}",
        f"{d}/{m}/{y[2:]}",
    }


def _personal_data(ils_db: Path) -> tuple[set[str], set[str], set[str]]:
    """Every patron's birth dates (in every spelling), card numbers and e-mails, from the ILS itself."""
    with sqlite3.connect(ils_db) as connection:
        rows = connection.execute("SELECT id, birth_date, email FROM patrons").fetchall()
    births = {spelling for _, born, _ in rows for spelling in _birth_date_spellings(date.fromisoformat(born))}
    return births, {card for card, _, _ in rows}, {email for _, _, email in rows if email}


async def _post(
    client: httpx.AsyncClient, url: str, query: str, variables: Any = None, **headers: str
) -> Any:
    response = await client.post(url, json={"query": query, "variables": variables}, headers=headers)
    return response.json()


async def _sign_in(client: httpx.AsyncClient, url: str, identifier: str, password: str) -> dict[str, Any]:
    body = await _post(client, url, LOGIN, {"identifier": identifier, "password": password})
    payload: dict[str, Any] = body["data"]["login"]
    return payload


async def _drive(served: Served) -> set[str]:
    """Everything a frontend, a careless client and an attacker would send; the tokens handed out."""
    url = served.graphql
    tokens = {STAFF_TOKEN}
    async with httpx.AsyncClient(timeout=30) as client:
        # Anonymous reads, and every contract operation.
        await _post(client, url, operation("search-page"), {"q": "Damasio"})
        await _post(client, url, "{ libraries { code name } }")
        camille = await _sign_in(client, url, "2900000001", DEMO_PASSWORDS["2900000001"])
        ines = await _sign_in(client, url, "ines.martin@example.org", DEMO_PASSWORDS["2900000003"])
        tokens |= {camille["token"], ines["token"]}
        as_camille = {"Authorization": f"Bearer {camille['token']}"}
        await _post(client, url, operation("dashboard"), None, **as_camille)
        await _post(client, url, operation("renew-all"), None, **as_camille)
        hold = {"recordId": "T0003", "library": "DURAS", "key": "key-1"}
        await _post(client, url, operation("place-hold"), hold, **as_camille)
        await _post(client, url, '{ patron(id: "2900000002") { displayName email } }', None, **as_camille)
        # Personal data in requests that fail: forbidden, invalid, refused.
        await _post(client, url, '{ patron(id: "2900000003") { email } }', None, **as_camille)
        profile = "mutation($input: ProfileInput!) { updateProfile(input: $input) { errors { code } } }"
        await _post(client, url, profile, {"input": {"email": "camille.martin@example"}}, **as_camille)
        await _post(client, url, profile, {"input": {"phone": "14071985 x"}}, **as_camille)
        typo = 'mutation { login(identifier: "2900000003", password: "21092011") { tokn } }'
        await _post(client, url, typo)
        await _post(client, url, LOGIN, {"identifier": "2900000004", "password": 30111990})
        # Bad sign-ins: wrong birth dates, a shared e-mail, then the card's limit.
        await _sign_in(client, url, "famille.bernard@example.org", DEMO_PASSWORDS["2900000004"])
        for wrong in ("21092012", "21/09/2011", "2011-09-21", "22092011", "23092011", "21092011"):
            await _sign_in(client, url, "29 0000 0003", wrong)
        # Refused bodies and methods: the password in a GET query string, bad JSON, bad encoding.
        get_login = 'mutation { login(identifier: "2900000005", password: "05051992") { token } }'
        await client.get(url, params={"query": get_login})
        await client.post(url, content=b'{"query": "{ me { id } }", "password": "05051992"', headers=_json())
        await client.post(url, content=b'{"query": "\xff nadia.haddad@example.org"}', headers=_json())
        await client.post(url, content=b"null", headers=_json())
        await client.post(url, content=b'"12031978"', headers=_json())
        staff = {"Authorization": f"Bearer staff:{STAFF_TOKEN}"}
        await _post(client, url, '{ patron(id: "2900000006") { email phone } }', None, **staff)
        # The ILS goes down: reads, writes and sign-ins fail, and say so.
        await client.post(f"{served.ils_admin}/faults", json={"outage": True})
        await _post(client, url, operation("dashboard"), None, **as_camille)
        await _post(client, url, operation("renew-all"), None, **as_camille)
        for identifier, password in (("2900000002", "03022014"), ("sophie.girard@example.net", "17061982")):
            await _post(client, url, LOGIN, {"identifier": identifier, "password": password})
        await _post(client, url, operation("search-page"), {"q": "camille.martin@example.org"})
        await client.post(f"{served.ils_admin}/faults", json={"outage": False})
        await _post(client, url, "mutation { logout }", None, **as_camille)
    return tokens


async def test_the_log_holds_no_birth_date_token_e_mail_or_card_number(served: Served) -> None:
    tokens = await _drive(served)
    served_log = await served.stop()

    births, cards, _ = _personal_data(served.ils_db)
    lines = served_log.splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]

    digits = set(re.findall(r"\d+", served_log))
    hits = {
        "birth dates": sorted(spelling for spelling in births if spelling in served_log),
        "card numbers": sorted(digits & cards),
        "e-mails": sorted(set(E_MAIL.findall(served_log))),
        "tokens": sorted(token[:6] + "…" for token in tokens if token in served_log),
    }
    assert hits == {"birth dates": [], "card numbers": [], "e-mails": [], "tokens": []}
    # The log is not empty or silent about failures: one JSON line per request, with its facts.
    assert lines and len(records) == len(lines)
    access = [record for record in records if record.get("event") == "http.request"]
    operations = {record.get("operation") for record in access}
    assert {"Dashboard", "RenewAll", "PlaceHold", "SearchPage", "Login"} <= operations
    codes = {code for record in access for code in record.get("codes", ())}
    assert {"FORBIDDEN", "ILS_UNAVAILABLE", "BAD_USER_INPUT"} <= codes
    assert all(record["request_id"] != "-" for record in access)
    assert all(isinstance(record["duration_ms"], float | int) for record in access)


def _json() -> dict[str, str]:
    return {"Content-Type": "application/json"}
