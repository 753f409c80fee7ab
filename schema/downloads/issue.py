"""Issuing a download link from a resolver: the grant for the viewer, its token, the `Download`.

Owns what every download field does once it has decided the viewer may have the file:
bind the viewer, the subject (with its format), the language and the expiry, sign, and
answer the link with the file's name and type. Never decides access (the fields do, with
schema/patrons/permissions.py) and never reads the data (the route does, at download time).
"""

from __future__ import annotations

from schema.context import Info
from schema.downloads.filenames import filename
from schema.downloads.formats import content_type
from schema.downloads.grants import Subject
from schema.downloads.service import DownloadService
from schema.downloads.types import Download


class DownloadsNotConfigured(RuntimeError):
    """The context carries no DownloadService (a gateway always gives one)."""


def service(info: Info) -> DownloadService:
    """The request's download service."""
    downloads = info.context.downloads
    if downloads is None:
        raise DownloadsNotConfigured("no DownloadService in the context")
    return downloads


def issue_download(info: Info, subject: Subject, *, basket_name: str | None = None) -> Download:
    """A signed link for the viewer to this subject, valid for the configured lifetime."""
    context = info.context
    downloads = service(info)
    viewer = context.viewer
    grant = downloads.tokens.grant(
        viewer_id=None if viewer is None else viewer.patron_id,
        staff=viewer is not None and viewer.is_staff,
        subject=subject,
        language=context.language,
        now=context.now,
        today=context.today,
    )
    return Download(
        url=downloads.link(downloads.tokens.sign(grant)),
        filename=filename(subject, grant.issued_on, grant.language, basket_name),
        content_type=content_type(subject.format),
        expires_at=grant.expires_at,
    )
