"""The HTML of the share-request confirmation page and of its outcomes: server-rendered, self-contained.

Owns the markup only (gateway/routes/shares.py decides what to show). Accessible: the page's
language, one heading, the choices in a fieldset with a legend, a label for every control,
visible focus, text that says what the buttons do. Nothing external is loaded (no script, no
font, no image; inline style only). Every value put into the page is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from schema.i18n import translate

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a;background:#fff}"
    "fieldset{border:1px solid #767676;padding:.75rem 1rem;margin:1rem 0}"
    "label{display:block;margin:.35rem 0}input[type=date]{font:inherit;padding:.2rem}"
    "button{font:inherit;padding:.5rem 1.25rem;margin:.5rem .75rem 0 0;border:2px solid #1a1a1a;"
    "border-radius:.25rem;cursor:pointer}button.accept{background:#14532d;color:#fff;border-color:#14532d}"
    "button.decline{background:#fff;color:#1a1a1a}"
    ":focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}"
)


def _e(text: str) -> str:
    """Escaped for an attribute value."""
    return html.escape(text, quote=True)


def _text(text: str) -> str:
    """Escaped for text between tags (apostrophes stay as they are)."""
    return html.escape(text, quote=False)


def _document(language: str, body: str) -> str:
    title = _text(translate("SHARE_PAGE_TITLE", language))
    return (
        f'<!doctype html>\n<html lang="{_e(language)}">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{title}</title><style>{_STYLE}</style></head>\n"
        f"<body><main><h1>{title}</h1>\n{body}\n</main></body>\n</html>\n"
    )


def message_page(language: str, code: str, **params: str) -> str:
    """A page that only says something (an outcome, or why the link cannot be used)."""
    return _document(language, f'<p role="status">{_text(translate(code, language, **params))}</p>')


@dataclass(frozen=True, slots=True)
class ConfirmationView:
    """What the confirmation page shows and posts back."""

    language: str
    requester_name: str
    card_number: str
    expires_on: str
    token: str
    csrf: str
    action: str
    earliest_end: str


def confirmation_page(view: ConfirmationView) -> str:
    """The page an e-mailed link opens: who asks, what they would see and do, the choices, the buttons."""
    lang = view.language

    def t(code: str, **params: str) -> str:
        return _text(translate(code, lang, **params))

    body = (
        f"<p>{t('SHARE_PAGE_ASKS', requester=view.requester_name, card=view.card_number)}</p>\n"
        f"<p>{t('SHARE_PAGE_SEES')}</p>\n<p>{t('SHARE_PAGE_NEVER')}</p>\n"
        f'<form method="post" action="{_e(view.action)}">\n'
        f'<input type="hidden" name="token" value="{_e(view.token)}">\n'
        f'<input type="hidden" name="csrf" value="{_e(view.csrf)}">\n'
        f"<fieldset><legend>{t('SHARE_PAGE_SCOPE')}</legend>\n"
        '<label><input type="radio" name="scope" value="VIEW_AND_RENEW" checked> '
        f"{t('SHARE_PAGE_VIEW_AND_RENEW')}</label>\n"
        f'<label><input type="radio" name="scope" value="VIEW"> {t("SHARE_PAGE_VIEW")}</label>\n'
        "</fieldset>\n"
        f'<label for="ends_on">{t("SHARE_PAGE_END")}</label>\n'
        f'<input type="date" id="ends_on" name="ends_on" min="{_e(view.earliest_end)}">\n'
        f"<p>{t('SHARE_PAGE_EXPIRES', date=view.expires_on)}</p>\n"
        f'<button type="submit" name="answer" value="accept" class="accept">{t("SHARE_PAGE_ACCEPT")}</button>'
        '<button type="submit" name="answer" value="decline" class="decline">'
        f"{t('SHARE_PAGE_DECLINE')}</button>\n"
        "</form>"
    )
    return _document(lang, body)
