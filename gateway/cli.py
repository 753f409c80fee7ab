"""The `ils-gateway` command: `serve`, `emulator`, `export-schema`, `send-alerts`.

Each subcommand's module adds its own arguments and runs; this file only dispatches.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _build_parser() -> argparse.ArgumentParser:
    from emulator import cli as emulator_cli

    parser = argparse.ArgumentParser(prog="ils-gateway", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    emulator_cli.add_arguments(
        commands.add_parser("emulator", help="run the reference ILS (SIP2 + SOAP) on its own")
    )
    from gateway import serve

    serve.add_serve_arguments(commands.add_parser("serve", help="run the GraphQL gateway"))
    commands.add_parser("export-schema", help="print the served GraphQL schema (SDL)")
    commands.add_parser(
        "send-alerts", help="send the new-arrivals digests once (the configured ILS, store and mail)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = _build_parser().parse_args(argv)
    if args.command == "emulator":
        from emulator import cli as emulator_cli

        return emulator_cli.run(args)
    if args.command == "serve":
        from gateway import serve

        return serve.run_serve(args)
    if args.command == "export-schema":
        from gateway import serve

        return serve.run_export_schema(args)
    if args.command == "send-alerts":
        from gateway import send_alerts

        return send_alerts.run_send_alerts(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
