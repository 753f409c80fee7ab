"""Staff mutations on new-arrivals alert lists: create, edit, retire (a staff token only).

Titles follow the names' rule (1 to 100 characters), descriptions at most 1,000; a list
belongs to a library the ILS knows. A retired list is no longer offered nor digested.
"""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.portal.alerts import MAX_DESCRIPTION_LENGTH, NewArrivalsAlert, NewArrivalsPayload, refused
from schema.portal.permissions import require_staff
from schema.portal.rules import MAX_NAME_LENGTH, check_name
from schema.portal.scope import unknown_library_codes


def _problem(info: Info, title: str, description: str | None) -> NewArrivalsPayload | None:
    checked = check_name(title)
    if checked.problem is not None:
        return refused(info, checked.problem, ["title"], maximum=MAX_NAME_LENGTH)
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        return refused(info, "DESCRIPTION_TOO_LONG", ["description"], maximum=MAX_DESCRIPTION_LENGTH)
    return None


def _described(description: str | None) -> str | None:
    return (description or "").strip() or None


async def create_new_arrivals_alert(
    info: Info, library_code: strawberry.ID, title: str, description: str | None = None
) -> NewArrivalsPayload:
    require_staff(info)
    if problem := _problem(info, title, description):
        return problem
    if await unknown_library_codes(info, [str(library_code)]):
        return refused(info, "UNKNOWN_LIBRARIES", ["libraryCode"], codes=str(library_code))
    store = info.context.store.alert_lists
    alert = await store.create(str(library_code), check_name(title).name, _described(description))
    return NewArrivalsPayload(alert=NewArrivalsAlert.of(alert), errors=[])


async def update_new_arrivals_alert(
    info: Info, alert_id: strawberry.ID, title: str, description: str | None = None
) -> NewArrivalsPayload:
    require_staff(info)
    if problem := _problem(info, title, description):
        return problem
    store = info.context.store.alert_lists
    alert = await store.update(str(alert_id), check_name(title).name, _described(description))
    if alert is None:
        return refused(info, "ALERT_NOT_FOUND", ["alertId"])
    return NewArrivalsPayload(alert=NewArrivalsAlert.of(alert), errors=[])


async def retire_new_arrivals_alert(info: Info, alert_id: strawberry.ID) -> NewArrivalsPayload:
    require_staff(info)
    alert = await info.context.store.alert_lists.retire(str(alert_id))
    if alert is None:
        return refused(info, "ALERT_NOT_FOUND", ["alertId"])
    return NewArrivalsPayload(alert=NewArrivalsAlert.of(alert), errors=[])
