"""Mail templates (Jinja2): a subject, a plain-text part and an HTML part per template and language.

Each template is a folder `templates/<name>/` holding `<lang>.subject.txt`, `<lang>.txt`
and `<lang>.html` for "fr" and "en"; HTML is autoescaped (a title like "Tom & Jerry <3"
stays text), plain text and subjects are not. A missing variable is an error, never an
empty string in a patron's mail. Owns rendering only: no addresses, no sending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("fr", "en")


def mail_language(tag: str | None) -> str:
    """The mail language for a language tag: "en" for English ("en", "en-GB"...), else French."""
    primary = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else "fr"


@dataclass(frozen=True, slots=True)
class RenderedMail:
    language: str
    subject: str
    text: str
    html: str


class UnknownTemplate(LookupError):
    """No such mail template (a programming error: the template names are the code's)."""

    def __init__(self, template: str) -> None:
        super().__init__(f"no mail template {template!r}")
        self.template = template


class MailRenderer:
    """Renders the templates of one folder (the package's by default)."""

    def __init__(self, folder: Path = TEMPLATES) -> None:
        self._html = Environment(
            loader=FileSystemLoader(folder),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._text = Environment(
            loader=FileSystemLoader(folder),
            autoescape=False,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, template: str, language: str, context: Mapping[str, Any]) -> RenderedMail:
        """The three parts of `template` in `language` (French unless English is asked)."""
        if "/" in template or template.startswith((".", "_")):
            raise UnknownTemplate(template)
        lang = mail_language(language)
        values = {**context, "language": lang}
        try:
            subject = self._text.get_template(f"{template}/{lang}.subject.txt").render(values)
            text = self._text.get_template(f"{template}/{lang}.txt").render(values)
            html = self._html.get_template(f"{template}/{lang}.html").render(values)
        except TemplateNotFound:
            raise UnknownTemplate(template) from None
        # A subject is one line: a newline in a value must not start a header.
        return RenderedMail(lang, " ".join(subject.split()), text, html)
