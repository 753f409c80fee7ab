"""GATEWAY_SMTP_URL parsing, the backoff, the templates and the message headers (no network)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from jinja2 import UndefinedError

from adapters.mail.message import build_message, check_address, message_id
from adapters.mail.port import InvalidAddress
from adapters.mail.queue import Backoff
from adapters.mail.render import MailRenderer, UnknownTemplate, mail_language
from adapters.mail.smtp_url import SmtpEndpoint, parse_smtp_url
from gateway.mailing import mail_destination
from gateway.settings import Settings


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", SmtpEndpoint("mail.example.org", 25, "opportunistic")),
        ("smtp://mail.example.org:2525?starttls=false", SmtpEndpoint("mail.example.org", 2525, "never")),
        ("smtp://mail.example.org?starttls=true", SmtpEndpoint("mail.example.org", 587, "required")),
        ("smtps://mail.example.org", SmtpEndpoint("mail.example.org", 465, "implicit")),
        (
            "smtp://gw%40bib:p%40ss%3Aw%2Frd@127.0.0.1:587?starttls=TRUE&timeout=5",
            SmtpEndpoint("127.0.0.1", 587, "required", "gw@bib", "p@ss:w/rd", 5.0),
        ),
        ("smtp://user:@h:25", SmtpEndpoint("h", 25, "opportunistic", "user", "")),
    ],
)
def test_smtp_urls(url: str, expected: SmtpEndpoint) -> None:
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://h:25",
        "smtp://:25",
        "smtp://u:s3cret@h:99999",
        "smtp://h:25/path",
        "smtp://u:s3cret@h?starttls=maybe",
        "smtps://u:s3cret@h?starttls=true",
        "smtp://h?tls=1",
        "smtp://h?timeout=0",
        "smtp://h?timeout=x",
        "smtp://h?starttls=true&starttls=false",
    ],
)
def test_bad_smtp_urls_are_refused_without_the_password(url: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_smtp_url(url)
    assert "s3cret" not in str(refused.value)
    with pytest.raises(ValueError) as in_settings:
        Settings(smtp_url=url)
    assert "s3cret" not in str(in_settings.value)


def test_the_password_is_never_shown() -> None:
    endpoint = parse_smtp_url("smtp://gw:s3cret@mail.example.org:587?starttls=true")
    settings = Settings(smtp_url="smtp://gw:s3cret@mail.example.org:587?starttls=true")
    for shown in (repr(endpoint), endpoint.describe(), repr(settings), mail_destination(settings)):
        assert "s3cret" not in shown
    assert mail_destination(settings) == "smtp://gw@mail.example.org:587 (TLS: required)"


def test_without_smtp_the_outbox_is_named(tmp_path: object) -> None:
    settings = Settings(mail_outbox="demo-mail")
    assert settings.smtp_url is None
    assert mail_destination(settings).startswith(str(settings.mail_outbox.resolve()))
    assert Settings(smtp_url="").smtp_url is None


def test_mail_from_must_be_an_address() -> None:
    assert Settings(mail_from="Réseau <no-reply@bib.example.org>").mail_from.endswith("org>")
    for bad in ("no address", "a@b.org\nBcc: x@y.org"):
        with pytest.raises(ValueError):
            Settings(mail_from=bad)


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff()
    assert [backoff.delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff.delay(8) == timedelta(hours=1) and backoff.delay(10_000) == timedelta(hours=1)
    assert Backoff(first=timedelta(seconds=1), factor=3).delay(3) == timedelta(seconds=9)


@pytest.mark.parametrize(
    ("tag", "language"),
    [("en", "en"), ("en-GB", "en"), ("EN_us", "en"), ("fr-CA", "fr"), ("de", "fr"), (None, "fr"), ("", "fr")],
)
def test_mail_language(tag: str | None, language: str) -> None:
    assert mail_language(tag) == language


CONTEXT = {
    "first_name": "Léo",
    "lists": [
        {
            "title": "BD\nSubject: spoofed",
            "library": "Sagan",
            "records": [{"id": "T1", "title": "<b>Tom</b> & Jerry", "authors": "", "year": None}],
        }
    ],
}


def test_html_is_escaped_text_is_not_and_the_subject_is_one_line() -> None:
    rendered = MailRenderer().render("new_arrivals", "fr", CONTEXT)
    assert rendered.subject == "Nouveautés : BD Subject: spoofed"
    assert "&lt;b&gt;Tom&lt;/b&gt; &amp; Jerry" in rendered.html and "<b>Tom</b>" not in rendered.html
    assert "- <b>Tom</b> & Jerry\n" in rendered.text and "http" not in rendered.text  # no url: no link


def test_missing_variables_and_unknown_templates_fail_loudly() -> None:
    renderer = MailRenderer()
    with pytest.raises(UndefinedError):
        renderer.render("new_arrivals", "en", {"first_name": "Léo"})
    for name in ("nope", "_layout", "../new_arrivals", ".hidden"):
        with pytest.raises(UnknownTemplate):
            renderer.render(name, "fr", CONTEXT)


def test_addresses() -> None:
    assert check_address("o'brien+alerts@example.org") == "o'brien+alerts@example.org"
    for bad in ("", "x", "@example.org", "a@localhost", "a@b.org, c@d.org", "<a@b.org>", "a@b.org\n"):
        with pytest.raises(InvalidAddress):
            check_address(bad)


def test_the_message_is_the_same_at_every_attempt() -> None:
    rendered = MailRenderer().render("new_arrivals", "en", CONTEXT)
    queued_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    sender = "Bibliothèques <no-reply@bib.example.org>"

    def build() -> bytes:
        message = build_message(
            rendered, sender=sender, to="leo@example.org", mail_id="abc", queued_at=queued_at
        )
        return message.as_bytes()

    assert build() == build()
    message = build_message(rendered, sender=sender, to="leo@example.org", mail_id="abc", queued_at=queued_at)
    assert message["Message-ID"] == "<abc@bib.example.org>" == message_id("abc", sender)
    assert message["Date"] == "Tue, 01 Dec 2026 09:00:00 +0000"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
