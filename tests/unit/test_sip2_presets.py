"""SIP2 presets and settings: what each preset sets, that explicit settings win, secrets masked.

Each preset's values and their sources are documented in adapters/ils/sip2/presets.py and the
README's "SIP2 presets" table (Koha etc/SIPconfig.xml: `encoding="utf8"`, `error-detect`;
FOLIO edge-sip2 README: charset IBM850 and error detection off by default).
"""

from __future__ import annotations

import pytest

from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.presets import PRESETS, sip2_options
from gateway.runtime import sip2_config
from gateway.settings import Settings


@pytest.mark.parametrize(
    ("preset", "encoding", "error_detection", "hold_identifier"),
    [
        ("none", "utf-8", True, "title"),
        ("koha", "utf-8", True, "item"),
        ("evergreen", "utf-8", True, "item"),
        ("symphony", "utf-8", True, "title"),
        ("folio", "cp850", False, "title"),
        ("sierra", "utf-8", True, "title"),
        ("alma", "utf-8", True, "title"),
    ],
)
def test_each_preset_reaches_the_sip2_config(
    monkeypatch: pytest.MonkeyPatch, preset: str, encoding: str, error_detection: bool, hold_identifier: str
) -> None:
    monkeypatch.setenv("GATEWAY_ILS_SIP2_PRESET", preset)
    config = sip2_config(Settings())
    assert (config.encoding_out, config.encoding_in) == (encoding, encoding)
    assert config.error_detection is error_detection
    assert config.hold_identifier == hold_identifier


def test_explicit_settings_win_over_the_preset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "PRESET": "folio",
        "ENCODING": "latin-1",
        "RECEIVE_ENCODING": "utf-8",
        "ERROR_DETECTION": "true",
        "HOLD_IDENTIFIER": "item",
        "INSTITUTION": "01MY_INST",
        "LOCATION": "6f6e7e2a-service-point",
        "TERMINAL_PASSWORD": "desk-secret",
    }.items():
        monkeypatch.setenv(f"GATEWAY_ILS_SIP2_{name}", value)
    settings = Settings()
    config = sip2_config(settings)
    assert (config.encoding_out, config.encoding_in) == ("latin-1", "utf-8")
    assert config.error_detection is True and config.hold_identifier == "item"
    assert (config.institution, config.location, config.terminal_password) == (
        "01MY_INST",
        "6f6e7e2a-service-point",
        "desk-secret",
    )
    assert "desk-secret" not in repr(settings) and "desk-secret" not in repr(config)


def test_bad_values_are_refused_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_ILS_SIP2_PRESET", "aleph")
    with pytest.raises(ValueError, match="preset"):
        Settings()
    with pytest.raises(LookupError):
        Sip2Config("h", 1, "u", "p", encoding="klingon")
    with pytest.raises(ValueError, match="hold_identifier"):
        Sip2Config("h", 1, "u", "p", hold_identifier="barcode")


def test_presets_only_give_defaults() -> None:
    assert sip2_options("koha", encoding="cp850").encoding == "cp850"
    assert sip2_options("folio", error_detection=True).error_detection is True
    assert "terminal_password" in PRESETS["alma"].needs and "terminal_password" in PRESETS["symphony"].needs
