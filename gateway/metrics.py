"""`/metrics`: this worker's counters in the Prometheus text format (0.0.4), without personal data.

Owns the request counters (by operation: the GraphQL operation type and its first root field,
a name from the schema, never the client's operation name; by outcome: `ok`, the first error
code, or `http_<status>`), and the rendering of them with what others own: the ILS calls per
protocol and outcome and each breaker's state (adapters/ils/breaker.py), the in-flight count
and refusals (gateway/in_flight.py). Every label value comes from a closed set: no card,
e-mail, query text or path a client typed. Written by hand (a few counters do not need
prometheus-client). Each worker process counts its own requests (`--workers N`: N series sets).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from adapters.ils.breaker import CircuitBreaker, State
from gateway.in_flight import InFlightCount

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class RequestCounts:
    """Requests answered by this worker, by operation and outcome."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def observe(self, operation: str, outcome: str) -> None:
        self.counts[(operation, outcome)] += 1


def request_outcome(status: int, codes: Sequence[str]) -> str:
    """`ok`, the request's first error code, or `http_<status>` (a refusal before GraphQL ran)."""
    if codes:
        return codes[0]
    return "ok" if status < 400 else f"http_{status}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _sample(name: str, labels: dict[str, str], value: float) -> str:
    shown = ",".join(f'{key}="{_escape(text)}"' for key, text in labels.items())
    number = int(value) if float(value).is_integer() else value
    return f"{name}{{{shown}}} {number}" if shown else f"{name} {number}"


def _family(name: str, kind: str, help_text: str, samples: Iterable[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples]


def render(requests: RequestCounts, in_flight: InFlightCount, breakers: Sequence[CircuitBreaker]) -> str:
    """The exposition text."""
    lines = _family(
        "gateway_requests_total",
        "counter",
        "Requests answered, by GraphQL operation (type:root field) and outcome (ok or error code).",
        (
            _sample("gateway_requests_total", {"operation": op, "outcome": outcome}, count)
            for (op, outcome), count in sorted(requests.counts.items())
        ),
    )
    lines += _family(
        "gateway_ils_calls_total",
        "counter",
        "ILS calls by protocol and outcome (success, failure, neutral, fast_failed: circuit open).",
        (
            _sample("gateway_ils_calls_total", {"protocol": b.name, "outcome": outcome}, count)
            for b in breakers
            for outcome, count in sorted(b.calls.items())
        ),
    )
    lines += _family(
        "gateway_breaker_state",
        "gauge",
        "Each ILS protocol's circuit breaker: 1 for its current state.",
        (
            _sample("gateway_breaker_state", {"protocol": b.name, "state": state.value}, b.state is state)
            for b in breakers
            for state in State
        ),
    )
    lines += _family(
        "gateway_breaker_opened_total",
        "counter",
        "Times each protocol's circuit opened.",
        (_sample("gateway_breaker_opened_total", {"protocol": b.name}, b.opened_times) for b in breakers),
    )
    lines += _family(
        "gateway_in_flight_requests",
        "gauge",
        "Requests this worker is serving now.",
        [_sample("gateway_in_flight_requests", {}, in_flight.in_flight)],
    )
    lines += _family(
        "gateway_overloaded_total",
        "counter",
        "Requests refused with 503 past GATEWAY_MAX_IN_FLIGHT.",
        [_sample("gateway_overloaded_total", {}, in_flight.refused)],
    )
    return "\n".join(lines) + "\n"


def metrics_routes(requests: RequestCounts, in_flight: InFlightCount) -> list[Route]:
    """GET /metrics, reading the running ILS port's breakers."""

    async def metrics(request: Request) -> PlainTextResponse:
        breakers: Sequence[CircuitBreaker] = getattr(request.app.state.runtime.ils, "breakers", ())
        return PlainTextResponse(render(requests, in_flight, breakers), media_type=CONTENT_TYPE)

    return [Route("/metrics", metrics, methods=["GET"])]
