"""`serve --demo` picks the ILS profile as the settings do, `--ils-profile` winning; in the
SIP2-only profile its emulator has no SOAP side."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from gateway.serve import add_serve_arguments, demo_emulator_config, with_ils_profile
from gateway.settings import Settings


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(["--demo", "--demo-db", "ils.sqlite", *argv])


@pytest.mark.parametrize(
    ("environment", "argv", "sip2_only"),
    [
        ({}, (), False),  # the default: SIP2 + SOAP
        ({}, ("--ils-profile", "sip2"), True),
        ({"GATEWAY_ILS_PROFILE": "sip2"}, (), True),
        ({"GATEWAY_ILS_SOAP_WSDL": ""}, (), True),
        ({"GATEWAY_ILS_PROFILE": "sip2"}, ("--ils-profile", "composite"), False),  # the flag wins
    ],
)
def test_the_demo_emulator_speaks_soap_only_when_the_gateway_uses_it(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], argv: tuple[str, ...], sip2_only: bool
) -> None:
    for name in ("GATEWAY_ILS_PROFILE", "GATEWAY_ILS_SOAP_WSDL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    args = _args(*argv)
    settings = with_ils_profile(Settings(), args)
    assert settings.sip2_only is sip2_only
    config = demo_emulator_config(settings, args)
    assert config.soap is not sip2_only and config.db_path == Path("ils.sqlite")
