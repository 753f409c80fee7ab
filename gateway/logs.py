"""The gateway's logging: one configuration, handed to uvicorn as its `log_config`.

Owns where log lines go and what they look like: readable lines in development, JSON lines
in production, every line with the request id; a line's structured fields (the access line's
operation, codes, duration) become JSON keys. Given to uvicorn (which applies it with
`dictConfig` at start-up) rather than applied beside it, so nothing reconfigures logging
after it. uvicorn's access log is off: its lines would carry GET query strings (search
text, variables). Never adds a handler to Strawberry's error logger, which prints the query
text; the schema does not call it anyway (schema/root.py).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from gateway.request_id import request_id

READABLE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s [request_id=%(request_id)s]"


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the line's fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        # Structured fields a line was given (`extra={"fields": {...}}`): JSON keys of their own.
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update({key: value for key, value in fields.items() if key not in line})
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def logging_config(*, json_lines: bool, level: str = "INFO") -> dict[str, Any]:
    """The `dictConfig` of the served gateway (uvicorn's `log_config`)."""
    quiet = {"handlers": [], "propagate": False, "level": "CRITICAL"}
    # Debug is for the gateway's own lines: other libraries' (zeep's, httpcore's) would print
    # SOAP envelopes and connection chatter, patron data among them. They stay at INFO.
    ours = level.upper()
    others = "INFO" if ours == "DEBUG" else ours
    own = {"handlers": [], "propagate": True, "level": ours}
    return {
        "version": 1,
        # Loggers created before start-up (the adapters', the gateway's) keep working.
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "readable": {"format": READABLE_FORMAT},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json" if json_lines else "readable",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": others},
        "loggers": {
            "gateway": own,
            "schema": own,
            "adapters": own,
            "uvicorn": own,
            "uvicorn.error": own,
            "uvicorn.access": quiet,
            # One line per call to the ILS's SOAP service: noise beside the access line.
            "httpx": {"handlers": [], "propagate": True, "level": "WARNING"},
            "strawberry.execution": quiet,
            # At DEBUG aiosqlite logs every SQL parameter: a queued mail's address and its
            # accept link among them. Never below WARNING, whatever GATEWAY_LOG_LEVEL says.
            "aiosqlite": {"handlers": [], "propagate": True, "level": "WARNING"},
        },
    }
