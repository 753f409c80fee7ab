"""Download links over HTTP against the emulator: the link works without a session, names its file,
and is refused (a short localized page, never a 500) when expired, tampered with, forged, or when
the share behind it has ended since it was issued.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from emulator.runner import RunningEmulator
from schema.downloads.formats import SummaryContent, SummaryFormat
from schema.downloads.grants import SummaryFile
from schema.downloads.tokens import DownloadTokens
from tests.e2e.conftest import Clock, GatewayFactory, bearer, soap_count
from tests.e2e.downloads import csv_rows, fetch, search_export, seed_share, summary_link

CAMILLE, LEO, INES, HUGO = "2900000001", "2900000002", "2900000003", "2900000004"
SECRET = "test-secret-key"  # the gateway_factory's


def token_of(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[1]


async def test_a_link_works_without_the_session_and_names_its_file(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    body = await summary_link(demo_gateway, headers, "CSV")
    link = body["data"]["me"]["accountSummary"]

    response = await fetch(demo_gateway, link["url"])

    assert response.status_code == 200
    assert link["filename"] == "synthese-compte-2026-12-01.csv"
    assert link["contentType"] == response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="synthese-compte-2026-12-01.csv"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == link["filename"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert link["url"].startswith("http://127.0.0.1:8000/downloads/")  # GATEWAY_PUBLIC_URL
    assert link["expiresAt"] == "2026-12-01T09:10:00+00:00"  # GATEWAY_DOWNLOAD_TTL: 10 minutes


async def test_a_file_name_keeps_the_patrons_words_in_utf8(demo_gateway: httpx.AsyncClient) -> None:
    page = await search_export(demo_gateway, "CSV", query="Misérables")

    response = await fetch(demo_gateway, page["export"]["url"])

    assert page["export"]["filename"] == "recherche-misérables-2026-12-01.csv"
    disposition = response.headers["content-disposition"]
    assert 'filename="recherche-miserables-2026-12-01.csv"' in disposition
    assert "filename*=UTF-8''recherche-mis%C3%A9rables-2026-12-01.csv" in disposition


async def test_an_expired_link_is_gone(demo_gateway: httpx.AsyncClient, clock: Clock) -> None:
    page = await search_export(demo_gateway, "CSV", query="Damasio")
    clock.advance(timedelta(minutes=10))

    response = await fetch(demo_gateway, page["export"]["url"], **{"Accept-Language": "en"})

    assert response.status_code == 410
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="en">' in response.text
    assert "This download link has expired" in response.text


async def test_a_link_works_until_its_last_second(demo_gateway: httpx.AsyncClient, clock: Clock) -> None:
    page = await search_export(demo_gateway, "CSV", query="Damasio")
    clock.advance(timedelta(minutes=10) - timedelta(seconds=1))

    assert (await fetch(demo_gateway, page["export"]["url"])).status_code == 200


async def test_the_lifetime_comes_from_the_settings(gateway_factory: GatewayFactory) -> None:
    async with gateway_factory(download_ttl=timedelta(seconds=30)) as client:
        page = await search_export(client, "CSV", query="Damasio")

    assert page["export"]["expiresAt"] == "2026-12-01T09:00:30+00:00"


def _tampered(token: str) -> str:
    payload, _, signature = token.rpartition(".")
    flipped = "A" if payload[-1] != "A" else "B"
    return f"{payload[:-1]}{flipped}.{signature}"


@pytest.mark.parametrize(
    "mangle",
    [
        _tampered,
        lambda token: token[:-2],
        lambda token: token.rpartition(".")[0],
        lambda token: "garbage",
        lambda token: "x" * 5000,
        lambda token: "%C3%A9t%C3%A9." + token,
        lambda token: DownloadTokens("another-gateways-key", timedelta(minutes=10)).sign(
            DownloadTokens(SECRET, timedelta(minutes=10)).verify(token, Clock().now)
        ),
    ],
    ids=["payload-changed", "signature-cut", "no-signature", "garbage", "too-long", "not-ascii", "other-key"],
)
async def test_a_token_this_gateway_did_not_sign_is_refused(
    demo_gateway: httpx.AsyncClient, mangle: object
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    link = (await summary_link(demo_gateway, headers, "CSV"))["data"]["me"]["accountSummary"]
    assert callable(mangle)

    response = await demo_gateway.get(f"/downloads/{mangle(token_of(link['url']))}")

    assert response.status_code == 404
    assert '<html lang="fr">' in response.text
    assert "Ce lien de téléchargement n'est pas valide" in response.text
    assert "Traceback" not in response.text


async def test_a_genuine_grant_to_someone_elses_account_is_refused_at_download(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator, clock: Clock
) -> None:
    # As if a link had been issued wrongly: the route decides again, by the access rule.
    tokens = DownloadTokens(SECRET, timedelta(minutes=10))
    subject = SummaryFile((CAMILLE, INES), SummaryContent.LOANS_AND_HOLDS, SummaryFormat.CSV)
    token = tokens.sign(tokens.grant(CAMILLE, False, subject, "fr", clock.now, clock.now.date()))
    reads = await soap_count(ils, "lookupAccounts")

    response = await demo_gateway.get(f"/downloads/{token}")

    assert response.status_code == 403
    assert "Vous n'avez plus accès à ces données." in response.text
    assert await soap_count(ils, "lookupAccounts") == reads  # refused before the ILS is asked


async def test_a_link_stops_working_when_the_share_behind_it_ends(
    gateway_factory: GatewayFactory, clock: Clock, tmp_path: Path
) -> None:
    # Inès lets Hugo see her account for five minutes (an expired share is a revoked one).
    await seed_share(
        tmp_path / "gateway.sqlite", INES, HUGO, since=clock.now, expires_at=clock.now + timedelta(minutes=5)
    )
    async with gateway_factory() as client:
        headers = await bearer(client, HUGO)
        link = (await summary_link(client, headers, "CSV", accountIds=[HUGO, INES]))["data"]["me"]
        url = link["accountSummary"]["url"]
        assert (await fetch(client, url)).status_code == 200

        clock.advance(timedelta(minutes=5))
        response = await fetch(client, url)

    assert response.status_code == 403
    assert "Vous n'avez plus accès à ces données." in response.text


async def test_a_link_for_another_patrons_account_cannot_be_made(demo_gateway: httpx.AsyncClient) -> None:
    headers = await bearer(demo_gateway, CAMILLE)

    body = await summary_link(demo_gateway, headers, "CSV", accountIds=[CAMILLE, INES])

    assert body["data"] == {"me": None}
    assert [error["extensions"]["code"] for error in body["errors"]] == ["FORBIDDEN"]


async def test_the_ils_down_at_download_time_is_a_503_page(
    demo_gateway: httpx.AsyncClient, ils: RunningEmulator
) -> None:
    headers = await bearer(demo_gateway, CAMILLE)
    link = (await summary_link(demo_gateway, headers, "CSV"))["data"]["me"]["accountSummary"]
    async with httpx.AsyncClient() as admin:
        await admin.post(f"{ils.admin_url}/faults", json={"outage": True})

    response = await fetch(demo_gateway, link["url"])

    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    assert "ne répond pas" in response.text


async def test_a_summary_link_is_the_same_file_for_whoever_opens_it(demo_gateway: httpx.AsyncClient) -> None:
    # The token alone says whose file it is: a session of someone else changes nothing.
    camille = await bearer(demo_gateway, CAMILLE)
    link = (await summary_link(demo_gateway, camille, "CSV"))["data"]["me"]["accountSummary"]
    leo = await bearer(demo_gateway, LEO)

    mine = await fetch(demo_gateway, link["url"])
    theirs = await demo_gateway.get(urlsplit(link["url"]).path, headers=leo)

    assert mine.content == theirs.content
    assert {row[0] for row in csv_rows(mine)[1:]} == {CAMILLE}
