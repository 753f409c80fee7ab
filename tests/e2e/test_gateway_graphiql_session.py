"""What a person does in GraphiQL, in a real headless chromium: sign in as Camille, see her loans, renew one.

The gateway (`create_app`) and the emulator listen on real sockets on 127.0.0.1; chromium, driven by
playwright, can reach nothing else (every other host is aborted, and the test fails if one was asked
for). The session is the HttpOnly cookie set by the `login` response: GraphiQL's fetch sends it back
on same-origin requests, so the loans query only answers after signing in *in the page*.

Marked `browser`: skips cleanly where chromium or the playwright package is missing (never run
`playwright install`: the system chromium is used). Never waits by sleeping: every step waits for
text in the result pane, with a timeout.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from emulator import db
from emulator.runner import RunningEmulator
from emulator.seed import DEMO_TODAY
from gateway.assets import DEFAULT_DIR, missing_assets

try:
    from playwright.async_api import Page, Route, async_playwright, expect
except ImportError:  # the `browser` tests are optional: playwright comes with the test extra
    pytest.skip("playwright (PyPI) not installed", allow_module_level=True)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed"),
    pytest.mark.skipif(bool(missing_assets(DEFAULT_DIR)), reason="GraphiQL assets not installed"),
]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOT = Path("/tmp/graphiql-renewed.png")
STEP_TIMEOUT_MS = 10_000

SIGN_IN = """\
mutation SignIn {
  login(identifier: "2900000001", password: "14071985") {
    patron { id displayName }
    expiresAt
    errors { code message }
  }
}
"""
MY_LOANS = """\
query MyLoans {
  me {
    displayName
    loans { id dueDate renewalCount renewability { renewable } item { record { title } } }
  }
}
"""
RENEW = """\
mutation Renew {
  renewLoans(loanIds: ["%s"]) {
    renewedCount
    results { loanId renewed reasons loan { dueDate renewalCount } }
    errors { code message }
  }
}
"""


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    """A chromium page that can reach 127.0.0.1 only; fails the test if it asked for any other host."""
    foreign: list[str] = []

    async def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            foreign.append(route.request.url)
            await route.abort("blockedbyclient")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1400, "height": 1600})
            await context.route("**/*", only_local)
            browser_page = await context.new_page()
            browser_page.set_default_timeout(STEP_TIMEOUT_MS)
            yield browser_page
        finally:
            await browser.close()
    assert foreign == [], f"the page asked for hosts other than the gateway (a CDN?): {foreign}"


async def set_query(page: Page, text: str) -> None:
    """Replace the editor's content like a person would: click in it, select all, paste the text."""
    await page.locator(".graphiql-query-editor .CodeMirror").click()
    await page.keyboard.press("Control+A")
    # insert_text is a paste: CodeMirror's auto-closing brackets and autocompletion stay out of it.
    await page.keyboard.insert_text(text)
    # GraphiQL reads the operations of the new text 100 ms after the last edit (debounced), then saves
    # the text: until then, Run would send the previous operation name. Wait for that save.
    await page.wait_for_function("text => localStorage.getItem('graphiql:query') === text", arg=text)


async def run(page: Page, *, expected: str) -> dict[str, Any]:
    """Click Run, wait for `expected` in the result pane; the response shown there, decoded."""
    await page.locator(".graphiql-execute-button").click()
    return await result(page, expected=expected)


async def result(page: Page, *, expected: str) -> dict[str, Any]:
    pane = page.locator(".result-window")
    await expect(pane).to_contain_text(expected, timeout=STEP_TIMEOUT_MS)
    # The pane is a CodeMirror editor that renders only the lines in view: read its whole value.
    shown = await pane.locator(".CodeMirror").evaluate("element => element.CodeMirror.getValue()")
    decoded: dict[str, Any] = json.loads(shown)
    return decoded


def ils_loan(emulator: RunningEmulator, title: str) -> tuple[str, int]:
    """Due date and renewal count of the loan of this title, straight from the ILS's database."""
    connection = db.connect(emulator.db_path)
    try:
        row = connection.execute(
            "SELECT loans.due_date, loans.renewal_count FROM loans JOIN items ON items.id = loans.item_id"
            " JOIN titles ON titles.id = items.title_id WHERE titles.title = ?",
            (title,),
        ).fetchone()
    finally:
        connection.close()
    return str(row[0]), int(row[1])


async def test_a_person_signs_in_as_camille_sees_and_renews_her_loans(
    page: Page, served_gateway: str, ils: RunningEmulator
) -> None:
    horde = "La Horde du Contrevent"
    due_before = ils_loan(ils, horde)
    await page.goto(f"{served_gateway}/graphql")
    await expect(page.locator(".graphiql-query-editor")).to_contain_text("mutation SignIn")

    # Not signed in yet: the page's example document holds two operations, so Run asks which one.
    await page.locator(".graphiql-execute-button").click()
    await page.get_by_role("menuitem", name="MyLoans").click()
    anonymous = await result(page, expected='"me": null')
    assert anonymous["data"] == {"me": None}

    # Sign in.
    await set_query(page, SIGN_IN)
    signed_in = await run(page, expected="Camille Martin")
    assert signed_in["data"]["login"]["errors"] == [], signed_in
    session_cookies = [c for c in await page.context.cookies() if c["httpOnly"]]
    assert len(session_cookies) == 1 and session_cookies[0]["sameSite"] == "Lax"

    # Her loans, through the cookie alone.
    await set_query(page, MY_LOANS)
    mine = await run(page, expected=horde)
    loans = {loan["item"]["record"]["title"]: loan for loan in mine["data"]["me"]["loans"]}
    assert loans[horde]["renewability"] == {"renewable": True}
    assert loans[horde]["dueDate"] == due_before[0]

    # Renew it.
    await set_query(page, RENEW % loans[horde]["id"])
    renewal = await run(page, expected='"renewed": true')
    await page.screenshot(path=SCREENSHOT)
    assert renewal["data"]["renewLoans"]["renewedCount"] == 1

    # The ILS moved the due date (28 days from the old one), and a second request through the same
    # session (the browser context's cookie jar, no other credential) reads it back.
    moved = ((DEMO_TODAY + timedelta(days=38)).isoformat(), 1)
    assert due_before == ((DEMO_TODAY + timedelta(days=10)).isoformat(), 0)
    assert ils_loan(ils, horde) == moved
    assert renewal["data"]["renewLoans"]["results"][0]["loan"] == {"dueDate": moved[0], "renewalCount": 1}
    again = await page.request.post(f"{served_gateway}/graphql", data={"query": MY_LOANS})
    reread = {loan["item"]["record"]["title"]: loan for loan in (await again.json())["data"]["me"]["loans"]}
    assert (reread[horde]["dueDate"], reread[horde]["renewalCount"]) == moved
