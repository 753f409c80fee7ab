"""The circulation GraphQL enums, value for value the domain enums and rule reasons."""

from __future__ import annotations

from enum import Enum

import strawberry

from adapters.ils.models import HoldStatus


@strawberry.enum
class LoanType(Enum):
    STANDARD = "STANDARD"
    ONE_WEEK = strawberry.enum_value("ONE_WEEK", description="One-week loan: never renewable.")
    DIGITAL = strawberry.enum_value(
        "DIGITAL",
        description=(
            "Digital loan (e-book, audio book): managed by the lending platform, never renewable here."
        ),
    )
    UNKNOWN = strawberry.enum_value(
        "UNKNOWN",
        description="The library system does not say (SIP2 alone): it decides itself whether it renews.",
    )


# The domain enum is served as it is: registering it gives it its GraphQL definition.
strawberry.enum(HoldStatus)


@strawberry.enum
class RenewalBlock(Enum):
    MAX_RENEWALS_REACHED = "MAX_RENEWALS_REACHED"
    ONE_WEEK_LOAN = "ONE_WEEK_LOAN"
    OVERDUE = "OVERDUE"
    RESERVED_BY_ANOTHER_PATRON = "RESERVED_BY_ANOTHER_PATRON"
    DIGITAL_LOAN = "DIGITAL_LOAN"
    PATRON_BLOCKED = "PATRON_BLOCKED"
    ILS_REFUSED = strawberry.enum_value(
        "ILS_REFUSED",
        description="The library system refused for a reason of its own (message carries its text).",
    )


__all__ = ["HoldStatus", "LoanType", "RenewalBlock"]
