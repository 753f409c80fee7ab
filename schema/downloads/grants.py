"""What a download link grants: who asked, for which file, until when (the signed content of a token).

Owns the grant as domain values and its plain-JSON form. A grant names its viewer, its
subject (a page of search results with everything needed to run it again, a basket of one
owner, or the summary of given accounts with its content) with the format, the language of
the file and the expiry. Decoding never trusts its input beyond the signature: any value of
the wrong shape is `MalformedGrant`. Never decides access (the route re-checks it with
schema/access.py) and never signs (schema/downloads/tokens.py does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from adapters.ils.models import CatalogueSource, DocumentType, SearchQuery
from schema.downloads.formats import ExportFormat, SummaryContent, SummaryFormat
from schema.viewer import Viewer

E = TypeVar("E", ExportFormat, SummaryFormat, SummaryContent, DocumentType, CatalogueSource)

# The grant's JSON layout; a token of another version is refused as malformed.
VERSION = 1


class MalformedGrant(ValueError):
    """A signed payload that is not a grant this gateway issues."""


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of search results as shown: the query with its effective scope, offset and limit."""

    query: SearchQuery
    format: ExportFormat


@dataclass(frozen=True, slots=True)
class BasketFile:
    """A basket of one patron."""

    basket_id: str
    owner_id: str
    format: ExportFormat


@dataclass(frozen=True, slots=True)
class SummaryFile:
    """The summary of the given accounts, one section each, in this order."""

    account_ids: tuple[str, ...]
    content: SummaryContent
    format: SummaryFormat


Subject = SearchPage | BasketFile | SummaryFile


@dataclass(frozen=True, slots=True)
class DownloadGrant:
    """One file for one viewer until `expires_at`; `issued_on` dates its file name."""

    viewer_id: str | None
    staff: bool
    subject: Subject
    language: str
    issued_on: date
    expires_at: datetime

    @property
    def viewer(self) -> Viewer | None:
        """The viewer the grant was issued to, as the access rule takes it."""
        if self.viewer_id is None and not self.staff:
            return None
        return Viewer(patron_id=self.viewer_id, is_staff=self.staff)


def grant_to_json(grant: DownloadGrant) -> dict[str, Any]:
    """The grant as plain JSON values (short keys: it travels in a URL)."""
    payload: dict[str, Any] = {
        "v": VERSION,
        "p": grant.viewer_id,
        "s": grant.staff,
        "l": grant.language,
        "i": grant.issued_on.isoformat(),
        "e": int(grant.expires_at.timestamp()),
    }
    subject = grant.subject
    if isinstance(subject, SearchPage):
        query = subject.query
        payload |= {
            "k": "search",
            "f": subject.format.value,
            "q": query.text,
            "lc": list(query.library_codes),
            "dt": [kind.value for kind in query.document_types],
            "so": [source.value for source in query.sources],
            "o": query.offset,
            "n": query.limit,
        }
    elif isinstance(subject, BasketFile):
        payload |= {"k": "basket", "f": subject.format.value, "b": subject.basket_id, "w": subject.owner_id}
    else:
        payload |= {
            "k": "summary",
            "f": subject.format.value,
            "a": list(subject.account_ids),
            "c": subject.content.value,
        }
    return payload


def grant_from_json(payload: object) -> DownloadGrant:
    """The grant of a verified payload; MalformedGrant for anything this gateway would not have issued."""
    if not isinstance(payload, dict) or payload.get("v") != VERSION:
        raise MalformedGrant("not a download grant")
    try:
        return DownloadGrant(
            viewer_id=_optional_text(payload["p"]),
            staff=_flag(payload["s"]),
            subject=_subject(payload),
            language=_text(payload["l"]),
            issued_on=date.fromisoformat(_text(payload["i"])),
            expires_at=datetime.fromtimestamp(_integer(payload["e"]), UTC),
        )
    except (KeyError, TypeError, ValueError, OverflowError, OSError) as error:
        raise MalformedGrant("not a download grant") from error


def _subject(payload: dict[str, Any]) -> Subject:
    kind = payload["k"]
    if kind == "search":
        query = SearchQuery(
            text=_text(payload["q"]),
            library_codes=tuple(_text(code) for code in _list(payload["lc"])),
            document_types=tuple(_enum(DocumentType, value) for value in _list(payload["dt"])),
            sources=tuple(_enum(CatalogueSource, value) for value in _list(payload["so"])),
            offset=_integer(payload["o"]),
            limit=_integer(payload["n"]),
        )
        return SearchPage(query=query, format=_enum(ExportFormat, payload["f"]))
    if kind == "basket":
        return BasketFile(
            basket_id=_text(payload["b"]),
            owner_id=_text(payload["w"]),
            format=_enum(ExportFormat, payload["f"]),
        )
    if kind == "summary":
        return SummaryFile(
            account_ids=tuple(_text(account) for account in _list(payload["a"])),
            content=_enum(SummaryContent, payload["c"]),
            format=_enum(SummaryFormat, payload["f"]),
        )
    raise ValueError("unknown kind")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected a boolean")
    return value


def _integer(value: object) -> int:
    # bool is an int in Python; a grant never holds one where a number goes.
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError("expected a non-negative integer")
    return value


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _enum(kind: type[E], value: object) -> E:
    return kind(_text(value))
