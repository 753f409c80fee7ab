"""The emulator's HTTP application: the SOAP service and the admin API on one port.

Owns only the composition (one Starlette app, no middleware, no lifespan).
The SOAP routes are `emulator.soap.app`'s; the admin routes are `emulator.admin`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from starlette.applications import Starlette

from emulator.admin import admin_routes
from emulator.faults import FaultInjector
from emulator.soap.app import soap_routes
from emulator.stats import Stats


def create_http_app(
    db_path: str | Path,
    faults: FaultInjector,
    stats: Stats,
    today: Callable[[], date],
    soap: bool = True,
) -> Starlette:
    """SOAP at /ils (WSDL at /ils?wsdl) unless `soap` is off (an ILS that speaks SIP2 only:
    /ils is then 404), and the admin API under /admin either way."""
    soap_side = soap_routes(db_path=db_path, faults=faults, stats=stats, today=today) if soap else []
    routes = [*soap_side, *admin_routes(faults, stats)]
    return Starlette(routes=routes)
