"""What the emulated ILS answers about patrons over SIP2: 23 (patron status) and 63 (patron information).

Owns the patron-status flags that reflect blocks, the counts and item lists of
64 (AS/CD carry title ids, AT/AU barcodes, AV fee lines) within the BP/BQ range,
and the password check (the birth date as ddmmyyyy): a wrong password gets the
counts, never the personal details. The base of `sip2_answers.Sip2Answers`;
never touches sockets or framing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from adapters.ils.sip2 import messages as m
from emulator import rules

# Patron status positions (sip2-notes "63 / 64"): privileges denied 0-3, overdue 6, fines 10.
_DENIED = (0, 1, 2, 3)
_BLOCK_FLAGS = {"FINES_OWED": (10,), "TOO_MANY_OVERDUES": (6,), "ACCOUNT_SUSPENDED": (), "CARD_EXPIRED": ()}


def password_of(patron: sqlite3.Row) -> str:
    """The patron's SIP2 password: the birth date as ddmmyyyy."""
    return date.fromisoformat(patron["birth_date"]).strftime("%d%m%Y")


def _status_flags(blocks: list[str]) -> str:
    flags = [" "] * 14
    for block in blocks:
        for position in (*_DENIED, *_BLOCK_FLAGS.get(block, ())):
            flags[position] = "Y"
    return "".join(flags)


def _window(values: list[str], start: int | None, end: int | None) -> tuple[str, ...]:
    """BP/BQ: 1-based inclusive range; absent bounds mean the start or the end of the list."""
    first = max(1, start or 1)
    last = len(values) if end is None else end
    return tuple(values[first - 1 : last])


class PatronAnswers:
    """Patron answers for one institution over one database connection (caller serialises calls)."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        today: Callable[[], date],
        institution: str,
        *,
        encoding: str = "utf-8",
    ) -> None:
        self._db = connection
        self._today = today
        self.institution = institution
        self.encoding = encoding  # of the wire: echoed identifiers are cut to fit in it

    def now(self) -> datetime:
        """The transaction date: the emulator's today at the wall-clock time of day."""
        return datetime.combine(self._today(), datetime.now().time().replace(microsecond=0))

    def _patron(self, patron_id: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM patrons WHERE id = ?", (patron_id,)
        ).fetchone()
        return row

    def _password_refusal(self, patron_id: str, password: str | None) -> str | None:
        patron = self._patron(patron_id)
        if patron is None:
            return "Lecteur inconnu."
        if password is not None and password != password_of(patron):
            return "Mot de passe incorrect."
        return None

    def _answer_23(self, request: m.PatronStatusRequest) -> m.Message:
        patron = self._patron(request.patron_identifier)
        if patron is None:
            return m.PatronStatusResponse(
                patron_status="YYYY" + " " * 10,
                transaction_date=self.now(),
                institution_id=self.institution,
                patron_identifier=request.patron_identifier,
                valid_patron=False,
                valid_patron_password=False,
            )
        return m.PatronStatusResponse(
            patron_status=_status_flags(rules.patron_blocks(patron, self._today())),
            language="002",
            transaction_date=self.now(),
            institution_id=self.institution,
            patron_identifier=request.patron_identifier,
            personal_name=f"{patron['first_name']} {patron['last_name']}",
            valid_patron=True,
            valid_patron_password=request.patron_password == password_of(patron),
        )

    def _status_unchanged(self, patron_id: str, message: str) -> tuple[m.PatronStatusResponse, bool]:
        """24 as for a 23 without password, with `message`; False when the patron is unknown."""
        answer = self._answer_23(
            m.PatronStatusRequest(institution_id=self.institution, patron_identifier=patron_id)
        )
        assert isinstance(answer, m.PatronStatusResponse)
        return replace(answer, valid_patron_password=None, screen_messages=(message,)), bool(
            answer.valid_patron
        )

    def _answer_01(self, request: m.BlockPatron) -> m.Message:
        # Spec: the ACS blocks the card and answers a 24. This ILS does not block cards from a
        # terminal (BX says N): it answers the 24 with the card's real, unchanged status.
        answer, _ = self._status_unchanged(
            request.patron_identifier, "Blocage de carte non pris en charge : la carte reste active."
        )
        return answer

    def _answer_25(self, request: m.PatronEnable) -> m.Message:
        status, _ = self._status_unchanged(
            request.patron_identifier, "Réactivation de carte non prise en charge : voir l'accueil."
        )
        return m.PatronEnableResponse(
            patron_status=status.patron_status,
            language=status.language,
            transaction_date=status.transaction_date,
            institution_id=status.institution_id,
            patron_identifier=status.patron_identifier,
            personal_name=status.personal_name,
            valid_patron=status.valid_patron,
            screen_messages=status.screen_messages,
        )

    def _answer_63(self, request: m.PatronInformationRequest) -> m.Message:
        patron = self._patron(request.patron_identifier)
        if patron is None:
            return m.PatronInformationResponse(
                patron_status="YYYY" + " " * 10,
                transaction_date=self.now(),
                hold_items_count=0,
                overdue_items_count=0,
                charged_items_count=0,
                fine_items_count=0,
                recall_items_count=0,
                unavailable_holds_count=0,
                institution_id=self.institution,
                patron_identifier=request.patron_identifier,
                valid_patron=False,
                valid_patron_password=False,
                screen_messages=("Lecteur inconnu.",),
            )
        today = self._today()
        valid_password = (
            None if request.patron_password is None else request.patron_password == password_of(patron)
        )
        lists = self._lists(patron["id"], today)
        fees = self._db.execute(
            "SELECT SUM(amount_cents), COUNT(*) FROM fees WHERE patron_id = ?", (patron["id"],)
        ).fetchone()
        show = valid_password is not False  # a wrong password gets counts, never personal details
        chosen = request.summary.find("Y")
        names = (
            "hold_items",
            "overdue_items",
            "charged_items",
            "fine_items",
            "recall_items",
            "unavailable_hold_items",
        )
        detail = {}
        if show and 0 <= chosen < len(names):
            detail[names[chosen]] = _window(lists[names[chosen]], request.start_item, request.end_item)
        return m.PatronInformationResponse(
            patron_status=_status_flags(rules.patron_blocks(patron, today)),
            language="002",
            transaction_date=self.now(),
            hold_items_count=min(9999, len(lists["hold_items"])),
            overdue_items_count=min(9999, len(lists["overdue_items"])),
            charged_items_count=min(9999, len(lists["charged_items"])),
            fine_items_count=min(9999, int(fees[1])),
            recall_items_count=0,
            unavailable_holds_count=min(9999, len(lists["unavailable_hold_items"])),
            institution_id=self.institution,
            patron_identifier=patron["id"],
            personal_name=f"{patron['first_name']} {patron['last_name']}",
            hold_items_limit=rules.HOLD_LIMIT,
            valid_patron=True,
            valid_patron_password=valid_password,
            currency_type="EUR" if fees[1] else None,
            fee_amount=f"{int(fees[0]) / 100:.2f}" if fees[1] else None,
            email_address=patron["email"] if show and patron["email"] else None,
            home_phone_number=patron["phone"] if show and patron["phone"] else None,
            **detail,  # type: ignore[arg-type]
        )

    def _lists(self, patron_id: str, today: date) -> dict[str, list[str]]:
        loans = self._db.execute(
            "SELECT item_id, due_date FROM loans WHERE patron_id = ? ORDER BY due_date, item_id", (patron_id,)
        ).fetchall()
        holds = self._db.execute(
            "SELECT title_id, status FROM holds WHERE patron_id = ? ORDER BY placed_at, id", (patron_id,)
        ).fetchall()
        fees = self._db.execute(
            "SELECT id, amount_cents, description FROM fees WHERE patron_id = ? ORDER BY id", (patron_id,)
        ).fetchall()
        return {
            "hold_items": [h["title_id"] for h in holds if h["status"] == "AVAILABLE"],
            "unavailable_hold_items": [h["title_id"] for h in holds if h["status"] != "AVAILABLE"],
            "charged_items": [loan["item_id"] for loan in loans],
            "overdue_items": [
                loan["item_id"] for loan in loans if date.fromisoformat(loan["due_date"]) < today
            ],
            "fine_items": [f"{f['amount_cents'] / 100:.2f} EUR {f['description']}" for f in fees],
            "recall_items": [],
        }
