"""payload_factory: a mutation payload with only `errors` set, or a clear error when it has no empty form."""

from __future__ import annotations

from datetime import date

import pytest
import strawberry

from schema.circulation.payloads import CancelHoldPayload, PlaceHoldPayload, RenewLoansPayload
from schema.payload import UserError
from schema.refused_payload import payload_factory

ERROR = UserError(code="BAD_USER_INPUT", message="Valeur refusée.", field=["recordId"])


def test_every_other_field_is_empty() -> None:
    renewed = payload_factory(RenewLoansPayload)([ERROR])
    placed = payload_factory(PlaceHoldPayload)([ERROR])
    cancelled = payload_factory(CancelHoldPayload)([ERROR])

    assert (renewed.results, renewed.renewed_count, renewed.errors) == ([], 0, [ERROR])
    assert (placed.hold, placed.reasons, placed.errors) == (None, [], [ERROR])
    assert (cancelled.cancelled, cancelled.errors) == (False, [ERROR])


def test_each_payload_gets_its_own_lists() -> None:
    build = payload_factory(PlaceHoldPayload)

    first, second = build([ERROR]), build([ERROR])

    assert first.reasons is not second.reasons


@strawberry.type
class _DatedPayload:
    due: date
    errors: list[UserError]


def test_a_payload_with_a_required_field_of_no_empty_form_is_refused_when_built() -> None:
    with pytest.raises(TypeError, match=r"_DatedPayload\.due has no empty value"):
        payload_factory(_DatedPayload)
