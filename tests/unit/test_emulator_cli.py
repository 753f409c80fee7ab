"""`ils-gateway emulator` arguments become the runner's configuration."""

from __future__ import annotations

import argparse

import pytest

from emulator import cli


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults_and_flags() -> None:
    config = cli.config_from(_parse("--db", "ils.db"))
    assert (config.host, config.sip2_port, config.soap_port, config.size) == ("127.0.0.1", 6001, 8081, "demo")
    assert (config.sip2_user, config.institution, config.encoding) == ("gateway", "PARIS", "utf-8")
    assert config.error_detection == "on"
    assert cli.config_from(_parse("--db", "x.db", "--error-detection", "mirror")).error_detection == "mirror"
    config = cli.config_from(
        _parse(
            "--db",
            "x.db",
            "--sip2-port",
            "0",
            "--soap-port",
            "0",
            "--latency-ms",
            "10",
            "--jitter-ms",
            "2",
            "--size",
            "50000",
            "--seed",
            "3",
            "--encoding",
            "cp850",
        )
    )
    assert (config.sip2_port, config.size, config.seed, config.encoding) == (0, 50000, 3, "cp850")
    assert (config.faults.sip2_latency_ms, config.faults.soap_latency_ms, config.faults.jitter_ms) == (
        10,
        10,
        2,
    )
    assert "sip2_password" not in repr(config)  # never printed by accident


@pytest.mark.parametrize(
    "argv",
    [("--size", "huge"), ("--sip2-port", "70000"), ("--latency-ms", "-1"), ("--error-detection", "auto")],
)
def test_bad_arguments_are_refused(argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit):
        _parse("--db", "x.db", *argv)


def test_unknown_encoding_fails_cleanly() -> None:
    assert cli.run(_parse("--db", "x.db", "--encoding", "klingon")) == 2
