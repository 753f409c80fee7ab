"""`ils-gateway serve --demo` as a person runs it (a real process, real uvicorn), and `export-schema`."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import httpx

from tests.e2e.conftest import LOGIN

CLI = [sys.executable, "-m", "gateway.cli"]


async def _banner(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    while not any(line.startswith("  2900000006") for line in lines):
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        assert line, "the server stopped before printing its banner"
        lines.append(line.decode())
    return "".join(lines)


async def test_serve_demo_prints_graphiql_and_the_cards_and_camille_sees_leo(tmp_path: Path) -> None:
    environment = {**os.environ, "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gw.sqlite'}"}
    log = (tmp_path / "serve.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        *CLI,
        "serve",
        "--demo",
        "--port",
        "0",
        "--demo-sip2-port",
        "0",
        "--demo-soap-port",
        "0",
        "--demo-db",
        str(tmp_path / "ils.sqlite"),
        stdout=asyncio.subprocess.PIPE,
        stderr=log,
        env=environment,
        cwd=tmp_path,
    )
    try:
        banner = await _banner(process)
        match = re.search(r"GraphiQL\s+(http://127\.0\.0\.1:\d+/graphql)", banner)
        assert match, banner
        assert "2900000001  Camille Martin" in banner
        # Without GATEWAY_SMTP_URL, demo mails are .eml files in ./mail-outbox, named at start-up.
        assert f"  mail      {(tmp_path / 'mail-outbox').resolve()} (.eml files" in banner
        async with httpx.AsyncClient() as client:
            page = await client.get(match.group(1), headers={"Accept": "text/html"})
            camille = {"identifier": "2900000001", "password": "14071985"}
            signed_in = await client.post(match.group(1), json={"query": LOGIN, "variables": camille})
            leo_query = '{ patron(id: "2900000002") { displayName } }'
            leo = await client.post(match.group(1), json={"query": leo_query})
            # Failing requests: what the log must say about them, and what it must never hold.
            typo = 'mutation { login(identifier: "2900000003", password: "21092011") { tokn } }'
            await client.post(match.group(1), json={"query": typo})
            ines = '{ patron(id: "2900000003") { id } }'
            forbidden = await client.post(match.group(1), json={"query": ines})
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), timeout=30)
        log.close()

    assert page.status_code in (200, 503)  # 503: assets not installed (the page then says how)
    assert signed_in.json()["data"]["login"]["patron"]["id"] == "2900000001"
    assert leo.json()["data"]["patron"] == {"displayName": "Léo Martin"}
    assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert process.returncode == 0
    served_log = (tmp_path / "serve.log").read_text()
    # uvicorn applies the gateway's logging configuration: its error lines are there...
    assert "graphql error code=FORBIDDEN path=patron" in served_log
    # ...and Strawberry's, which print the query text, values and a traceback, are not.
    for secret in ("21092011", "login(identifier", "Traceback", "2900000003"):
        assert secret not in served_log


async def test_export_schema_prints_the_served_sdl() -> None:
    process = await asyncio.create_subprocess_exec(*CLI, "export-schema", stdout=asyncio.subprocess.PIPE)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)

    sdl = output.decode()
    assert process.returncode == 0
    assert "login(identifier: String!, password: String!): LoginPayload!" in sdl
    assert "logout: Boolean!" in sdl


async def test_serve_demo_in_the_sip2_only_profile_turns_the_emulators_soap_off(tmp_path: Path) -> None:
    environment = {**os.environ, "GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gw.sqlite'}"}
    environment.pop("GATEWAY_ILS_PROFILE", None)
    process = await asyncio.create_subprocess_exec(
        *CLI,
        "serve",
        "--demo",
        "--ils-profile",
        "sip2",
        "--port",
        "0",
        "--demo-sip2-port",
        "0",
        "--demo-soap-port",
        "0",
        "--demo-db",
        str(tmp_path / "ils.sqlite"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env=environment,
        cwd=tmp_path,
    )
    try:
        banner = await _banner(process)
        graphql = re.search(r"GraphiQL\s+(http://127\.0\.0\.1:\d+/graphql)", banner)
        admin = re.search(r"ILS admin (http://127\.0\.0\.1:\d+)", banner)
        assert graphql and admin, banner
        assert "over SIP2 alone" in banner
        async with httpx.AsyncClient() as client:
            camille = {"identifier": "2900000001", "password": "14071985"}
            signed_in = await client.post(graphql.group(1), json={"query": LOGIN, "variables": camille})
            me = await client.post(
                graphql.group(1),
                json={"query": "{ me { loanCount loans { loanType item { library { name } } } } }"},
            )
            ready = await client.get(graphql.group(1).replace("/graphql", "/readyz"))
            wsdl = await client.get(f"{admin.group(1)}/ils?wsdl")
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), timeout=30)

    assert signed_in.json()["data"]["login"]["patron"]["id"] == "2900000001"
    loans = me.json()["data"]["me"]["loans"]
    assert me.json()["data"]["me"]["loanCount"] == 7
    assert {loan["loanType"] for loan in loans} == {"UNKNOWN"}  # what SIP2 alone carries
    # The libraries the demo wrote for the profile (SIP2 has no list of them) name the copies' branches.
    assert "Médiathèque Marguerite Duras" in {loan["item"]["library"]["name"] for loan in loans}
    assert (tmp_path / "ils.libraries.json").exists()
    assert "not used" in ready.json()["checks"]["soap"]["detail"]
    assert wsdl.status_code == 404  # the emulator speaks SIP2 only
    assert process.returncode == 0
