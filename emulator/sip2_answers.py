"""What the emulated ILS answers to each SIP2 request, read from and written to its database.

Owns the mapping from a decoded request (`adapters.ils.sip2.messages`) to its
response message: status, item information, and the circulation writes through
`rules.py` and `circulation.py` (patron answers: `sip2_patron.py`).
Conventions the gateway relies on: item ids are barcodes, AJ in requests is a
title id and in responses the title text, hold lists (AS/CD) carry title ids,
AH is an 18-char SIP2 date at 23:59:59, patron passwords are birth dates as
ddmmyyyy. Never touches sockets, framing
or faults (see `sip2_server.py`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from adapters.ils.sip2 import messages as m
from adapters.ils.sip2.codec import fit, format_sip2_date
from emulator import circulation, rules
from emulator.sip2_patron import PatronAnswers

_CIRCULATION_STATUS = {
    "AVAILABLE": "03",
    "CHECKED_OUT": "04",
    "IN_PROCESSING": "06",
    "ON_HOLD_SHELF": "08",
    "IN_TRANSIT": "10",
    "MISSING": "13",
}
_MEDIA_TYPE = {
    "BOOK": "001",
    "COMIC": "001",
    "SCORE": "001",
    "MAGAZINE": "002",
    "DVD": "005",
    "MUSIC_CD": "006",
    "AUDIOBOOK": "006",
}
SUPPORTED = "YYYNYYYYYNYNNYYY"  # BX: 23 11 09 01 99 97 93 63 35 37 17 19 25 15 29 65
# The N ones (01, 37, 19, 25) still get their response type, "not OK" with a screen message.
_ECHOED = ("patron_identifier", "item_identifier", "title_identifier", "transaction_id")
WRITES = frozenset({"29", "65", "15", "09", "11"})


def sip2_due(value: date | None) -> str:
    """AH as this ILS writes it: an 18-char SIP2 date at the end of the due day; '' for none."""
    return "" if value is None else format_sip2_date(datetime.combine(value, time(23, 59, 59)))


class Sip2Answers(PatronAnswers):
    """Answers requests for one institution over one database connection (caller serialises calls)."""

    def answer(self, request: m.Message) -> m.Message | None:
        """The response to a request after login; None for a message no ACS answers (a response)."""
        handler = getattr(self, f"_answer_{request.code}", None)
        return None if handler is None else self._limit_echoes(handler(request))

    def _limit_echoes(self, response: m.Message) -> m.Message:
        # Identifiers come back as the SC sent them (and titles as stored): a value longer than
        # a variable field allows is cut to fit, so the answer stays strict SIP2 (a 10 KB AB
        # from a peer is not echoed whole).
        changes = {
            attr: fit(value, encoding=self.encoding)
            for attr in _ECHOED
            if isinstance(value := getattr(response, attr, None), str) and value
        }
        return replace(response, **changes) if changes else response

    def status(self) -> m.ACSStatus:
        """98: on line, what is supported."""
        return m.ACSStatus(
            online_status=True,
            checkin_ok=True,
            checkout_ok=True,
            acs_renewal_policy=True,
            status_update_ok=False,
            offline_ok=False,
            timeout_period=100,
            retries_allowed=3,
            date_time_sync=self.now(),
            institution_id=self.institution,
            library_name="Bibliothèques de Paris",
            supported_messages=SUPPORTED,
        )

    def _answer_99(self, request: m.SCStatus) -> m.Message:
        return self.status()

    def _answer_17(self, request: m.ItemInformationRequest) -> m.Message:
        item = self._db.execute(
            "SELECT items.*, titles.title, titles.document_type, titles.is_digital, loans.due_date,"
            " (SELECT COUNT(*) FROM holds WHERE holds.title_id = items.title_id AND status = 'WAITING')"
            " AS queue, (SELECT pickup_library FROM holds WHERE holds.item_id = items.id) AS pickup,"
            " (SELECT pickup_deadline FROM holds WHERE holds.item_id = items.id) AS deadline"
            " FROM items JOIN titles ON titles.id = items.title_id"
            " LEFT JOIN loans ON loans.item_id = items.id WHERE items.id = ?",
            (request.item_identifier,),
        ).fetchone()
        if item is None:
            return m.ItemInformationResponse(
                circulation_status="01",
                security_marker="00",
                fee_type="01",
                transaction_date=self.now(),
                item_identifier=request.item_identifier,
                screen_messages=("Exemplaire inconnu.",),
            )
        on_shelf_for_hold = item["status"] == "ON_HOLD_SHELF" and item["pickup"] is not None
        deadline = item["deadline"]
        return m.ItemInformationResponse(
            circulation_status=_CIRCULATION_STATUS.get(item["status"], "01"),
            security_marker="01" if item["is_digital"] else "02",
            fee_type="01",
            transaction_date=self.now(),
            hold_queue_length=int(item["queue"]),
            due_date=sip2_due(date.fromisoformat(item["due_date"])) if item["due_date"] else None,
            hold_pickup_date=(
                datetime.combine(date.fromisoformat(deadline), time(23, 59, 59))
                if deadline and on_shelf_for_hold
                else None
            ),
            item_identifier=item["id"],
            title_identifier=item["title"],
            owner=self.institution,
            media_type=_MEDIA_TYPE.get(item["document_type"], "000"),
            permanent_location=item["library_code"],
            current_location=item["pickup"] if on_shelf_for_hold else item["library_code"],
            item_properties=item["call_number"],
        )

    def _loan_item_for_title(self, patron_id: str, title_id: str) -> str | None:
        row = self._db.execute(
            "SELECT loans.item_id FROM loans JOIN items ON items.id = loans.item_id"
            " WHERE loans.patron_id = ? AND items.title_id = ?",
            (patron_id, title_id),
        ).fetchone()
        return None if row is None else str(row[0])

    def _answer_29(self, request: m.RenewRequest) -> m.Message:
        patron_id = request.patron_identifier
        item_id = request.item_identifier or self._loan_item_for_title(
            patron_id, request.title_identifier or ""
        )
        refusal = self._password_refusal(patron_id, request.patron_password)
        outcome = (
            rules.Renewal(False, item_id or "", "", None, refusal)
            if refusal or item_id is None
            else rules.renew(self._db, patron_id, item_id, self._today())
        )
        media = self._media_type(outcome.item_id)
        return m.RenewResponse(
            ok=outcome.ok,
            renewal_ok=outcome.ok,
            magnetic_media=False,
            desensitize=outcome.ok,
            transaction_date=self.now(),
            institution_id=self.institution,
            patron_identifier=patron_id,
            item_identifier=outcome.item_id,
            title_identifier=outcome.title,
            due_date=sip2_due(outcome.due_date) if outcome.ok else "",
            media_type=media,
            screen_messages=(outcome.message or "Document non prolongé.",) if not outcome.ok else (),
        )

    def _media_type(self, item_id: str) -> str | None:
        row = self._db.execute(
            "SELECT titles.document_type FROM items JOIN titles ON titles.id = items.title_id"
            " WHERE items.id = ?",
            (item_id,),
        ).fetchone()
        return None if row is None else _MEDIA_TYPE.get(row[0], "000")

    def _answer_65(self, request: m.RenewAllRequest) -> m.Message:
        refusal = self._password_refusal(request.patron_identifier, request.patron_password)
        outcome = None if refusal else rules.renew_all(self._db, request.patron_identifier, self._today())
        if outcome is None:
            return m.RenewAllResponse(
                ok=False,
                renewed_count=0,
                unrenewed_count=0,
                transaction_date=self.now(),
                institution_id=self.institution,
                screen_messages=(refusal or "Lecteur inconnu.",),
            )
        return m.RenewAllResponse(
            ok=True,
            renewed_count=len(outcome.renewed),
            unrenewed_count=len(outcome.unrenewed),
            transaction_date=self.now(),
            institution_id=self.institution,
            renewed_items=tuple(r.item_id for r in outcome.renewed),
            unrenewed_items=tuple(r.item_id for r in outcome.unrenewed),
            screen_messages=tuple(f"{r.item_id} : {r.message}" for r in outcome.unrenewed if r.message),
        )

    def _answer_15(self, request: m.HoldRequest) -> m.Message:
        patron_id = request.patron_identifier
        # AB || AJ, as Koha reads a 15 (C4/SIP/ILS.pm add_hold): a known copy names the title;
        # else the title id; a hold is on the title either way (hold type 2).
        row = (
            self._db.execute("SELECT title_id FROM items WHERE id = ?", (request.item_identifier,)).fetchone()
            if request.item_identifier
            else None
        )
        title_id = str(row[0]) if row is not None else request.title_identifier or ""
        refusal = self._password_refusal(patron_id, request.patron_password)
        if refusal is None and request.hold_mode not in ("+", "-"):
            refusal = "Modification de réservation non prise en charge."
        if refusal is not None:
            outcome = rules.HoldChange(False, title_id, "", request.pickup_location, message=refusal)
        elif request.hold_mode == "+":
            outcome = rules.place_hold(self._db, patron_id, title_id, request.pickup_location, self._today())
        else:
            outcome = rules.cancel_hold(self._db, patron_id, title_id)
        return m.HoldResponse(
            ok=outcome.ok,
            available=outcome.available,
            transaction_date=self.now(),
            queue_position=outcome.queue_position,
            pickup_location=outcome.pickup_library or None,
            institution_id=self.institution,
            patron_identifier=patron_id,
            item_identifier=request.item_identifier,
            title_identifier=outcome.title or None,
            screen_messages=(outcome.message,) if outcome.message else (),
        )

    def _answer_09(self, request: m.CheckinRequest) -> m.Message:
        outcome = circulation.check_in(self._db, request.item_identifier, self._today())
        return m.CheckinResponse(
            ok=outcome.ok,
            resensitize=outcome.ok and outcome.held_for is None,
            magnetic_media=False,
            alert=outcome.held_for is not None,
            transaction_date=self.now(),
            institution_id=self.institution,
            item_identifier=request.item_identifier,
            permanent_location=outcome.library or "",
            title_identifier=outcome.title or None,
            sort_bin="RESERVATIONS" if outcome.held_for else None,
            patron_identifier=outcome.patron_id,
            media_type=self._media_type(request.item_identifier),
            screen_messages=(outcome.message,) if outcome.message else (),
        )

    def _answer_11(self, request: m.CheckoutRequest) -> m.Message:
        refusal = self._password_refusal(request.patron_identifier, request.patron_password)
        outcome = (
            circulation.Circulation(False, request.item_identifier, message=refusal)
            if refusal
            else circulation.check_out(
                self._db, request.patron_identifier, request.item_identifier, self._today()
            )
        )
        return m.CheckoutResponse(
            ok=outcome.ok,
            renewal_ok=False,
            magnetic_media=False,
            desensitize=outcome.ok,
            transaction_date=self.now(),
            institution_id=self.institution,
            patron_identifier=request.patron_identifier,
            item_identifier=request.item_identifier,
            title_identifier=outcome.title or "",
            due_date=sip2_due(outcome.due_date),
            media_type=self._media_type(request.item_identifier),
            screen_messages=(outcome.message,) if outcome.message else (),
        )

    def _answer_19(self, request: m.ItemStatusUpdate) -> m.Message:
        return m.ItemStatusUpdateResponse(
            item_properties_ok=False,
            transaction_date=self.now(),
            item_identifier=request.item_identifier,
            screen_messages=("Mise à jour de l'exemplaire non prise en charge.",),
        )

    def _answer_37(self, request: m.FeePaid) -> m.Message:
        return m.FeePaidResponse(
            payment_accepted=False,
            transaction_date=self.now(),
            institution_id=self.institution,
            patron_identifier=request.patron_identifier,
            transaction_id=request.transaction_id,
            screen_messages=("Paiement non pris en charge par ce service : réglez à l'accueil.",),
        )

    def _answer_35(self, request: m.EndPatronSessionRequest) -> m.Message:
        return m.EndSessionResponse(
            end_session=True,
            transaction_date=self.now(),
            institution_id=self.institution,
            patron_identifier=request.patron_identifier,
        )
