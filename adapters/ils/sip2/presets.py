"""Per-ILS SIP2 presets: what each usual library system expects from a SIP2 client, and why.

Owns `PRESETS` and `sip2_options(preset, **explicit)`: a preset gives defaults for the
encoding, error detection and how holds are identified; anything set explicitly wins. A
preset never holds an address, account, institution or password (those are the library's).
Must never read the environment (the gateway's settings do) or speak SIP2.

Sources (read for facts, nothing copied): Koha C4/SIP/ILS.pm (`add_hold` finds the copy from
`$item_id || $title_id` by barcode) and Koha's SIPconfig.xml (`encoding` per account,
`error-detect`); Evergreen OpenILS/SIP.pm (`add_hold` commented out: holds are not placed
over SIP2) and SIPServer's MsgType.pm/Checksum.pm; FOLIO edge-sip2 README (tenant `charset`
defaults to IBM850, `errorDetectionEnabled` defaults to false, the 93's CP must be the
service point UUID; Hold/Renew "not implemented" in the README of the version read);
Ex Libris "Alma SIP2 messages" (developers.exlibrisgroup.com/alma/integrations/selfcheck/sip2:
AC "as defined on the relevant circulation desk", AO like 01MY_INST, no 15 Hold among the
supported messages); SirsiDynix "Symphony SIP2 Version 2: Setting Up the SIP2 Server"
(DOC-SP2SDEN-U, 2008: a terminal password per self-check); for Sierra no public source was
at hand, so its preset is the spec's defaults with error detection on (see README).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sip2Preset:
    """Defaults one ILS family expects; `needs` lists what the library must still configure."""

    encoding: str
    error_detection: bool
    hold_identifier: str
    needs: tuple[str, ...] = ()


PRESETS: dict[str, Sip2Preset] = {
    # Our own emulator, and the spec's defaults: UTF-8, checksums on, holds by title id.
    "none": Sip2Preset("utf-8", True, "title"),
    # Koha: accounts usually set encoding="utf8"; a hold is looked up by copy barcode.
    "koha": Sip2Preset("utf-8", True, "item", ("institution (the SIPconfig institution id)",)),
    # Evergreen: UTF-8 or ASCII per institution (ASCII is a subset); holds only by copy
    # (placing is not implemented: the ACS answers "not OK" and its message is shown).
    "evergreen": Sip2Preset("utf-8", True, "item", ("institution",)),
    # SirsiDynix Symphony: checksums on, a terminal password per SC account.
    "symphony": Sip2Preset("utf-8", True, "title", ("terminal_password",)),
    # FOLIO edge-sip2: IBM850 and no error detection unless the tenant config says otherwise;
    # the login location (CP) must be the kiosk's service point UUID.
    "folio": Sip2Preset("cp850", False, "title", ("location (service point UUID)",)),
    # Innovative Sierra: spec defaults (no public source read; check with the vendor).
    "sierra": Sip2Preset("utf-8", True, "title"),
    # Ex Libris Alma: terminal password of the circulation desk, institution like 01MY_INST.
    "alma": Sip2Preset("utf-8", True, "title", ("terminal_password", "institution")),
}


def sip2_options(
    preset: str,
    *,
    encoding: str | None = None,
    error_detection: bool | None = None,
    hold_identifier: str | None = None,
) -> Sip2Preset:
    """The preset's defaults, each overridden by the value set explicitly (None: not set)."""
    chosen = PRESETS[preset]
    return Sip2Preset(
        encoding=encoding or chosen.encoding,
        error_detection=chosen.error_detection if error_detection is None else error_detection,
        hold_identifier=hold_identifier or chosen.hold_identifier,
        needs=chosen.needs,
    )
