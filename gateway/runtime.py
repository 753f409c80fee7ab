"""What the gateway holds open while it runs: the ILS port, the store, sessions, throttle, caches.

Owns opening them in order at start-up and closing them in reverse at shut-down (the app's
lifespan). The ILS adapter is opened from the settings unless one is given (tests, demo).
Never reads the environment (the settings object is given).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from adapters.errors import GatewayError
from adapters.ils.models import Library
from adapters.ils.port import IlsPort
from adapters.ils.sip2.config import Sip2Config
from adapters.ils.sip2.presets import sip2_options
from adapters.mail.queue import Mailer
from adapters.mail.worker import deliver_forever
from adapters.store.database import Database
from adapters.store.port import PortalStore
from adapters.store.sessions import SqlSessionStore
from adapters.store.sql import sql_store
from adapters.throttle import LoginLimits, LoginThrottle
from gateway.alerts import AlertRun, send_alerts
from gateway.alerts_schedule import AlertsSchedule, QueuedDigestMailer, alerts_forever
from gateway.auth import SignInService, password_key
from gateway.mailing import open_mailer
from gateway.sessions import SessionManager
from gateway.settings import Settings
from schema.cache import MemoryReferenceCache
from schema.downloads.service import DownloadService
from schema.downloads.tokens import DownloadTokens
from schema.portal.alert_seed import seed_alert_lists
from schema.sharing.mail import QueuedShareMailer, ShareMailer, share_mail_listener
from schema.sharing.service import SharingService
from schema.sharing.tokens import AcceptTokens
from schema.sharing.types import expire_shares

_log = logging.getLogger("gateway.runtime")

# Expired sessions are deleted this often (seconds); lookups check expiry anyway.
PURGE_EVERY = 600.0
# At most this long (seconds) asking the ILS which libraries need a first alert list.
SEED_TIMEOUT = 5.0
# Shares and share requests past their end are recorded as expired this often (seconds);
# access stops at the end itself anyway (schema/access.py decides with the clock).
EXPIRE_SHARES_EVERY = 60.0


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    ils: IlsPort
    store: PortalStore
    database: Database
    sessions: SessionManager
    sign_in: SignInService
    throttle: LoginThrottle
    reference_cache: MemoryReferenceCache
    staff_tokens: frozenset[str]
    clock: Callable[[], datetime]
    downloads: DownloadService
    sharing: SharingService
    # The mail queue (adapters/mail); its background sender runs while the gateway does.
    mail: Mailer

    def today(self) -> date:
        """The library's date (local time of the server, TZ environment variable)."""
        return self.clock().astimezone().date()


def sip2_config(settings: Settings) -> Sip2Config:
    """The SIP2 link: the preset's defaults, then every GATEWAY_ILS_SIP2_* that is set."""
    options = sip2_options(
        settings.ils_sip2_preset,
        encoding=settings.ils_sip2_encoding,
        error_detection=settings.ils_sip2_error_detection,
        hold_identifier=settings.ils_sip2_hold_identifier,
    )
    return Sip2Config(
        host=settings.sip2_host,
        port=settings.sip2_port,
        user=settings.ils_sip2_user,
        password=settings.ils_sip2_password.get_secret_value(),
        institution=settings.ils_sip2_institution,
        location=settings.ils_sip2_location,
        size=settings.ils_sip2_pool_size,
        timeout=settings.ils_sip2_timeout,
        connect_timeout=settings.ils_sip2_timeout,
        send_encoding=settings.ils_sip2_send_encoding,
        receive_encoding=settings.ils_sip2_receive_encoding,
        terminal_password=settings.ils_sip2_terminal_password.get_secret_value(),
        encoding=options.encoding,
        error_detection=options.error_detection,
        hold_identifier=options.hold_identifier,
    )


def read_libraries(path: str | None) -> list[Library]:
    """The SIP2-only profile's libraries from GATEWAY_ILS_LIBRARIES_FILE (none without one)."""
    if not path:
        return []
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        Library(
            code=str(entry["code"]),
            name=str(entry["name"]),
            address=entry.get("address"),
            accepts_pickup=bool(entry.get("acceptsPickup", True)),
        )
        for entry in entries
    ]


def login_limits(settings: Settings) -> LoginLimits:
    return LoginLimits.parse(
        card=settings.login_card_limit,
        address=settings.login_address_limit,
        password=settings.login_password_limit,
        password_pace=settings.login_password_pace,
    )


def download_service(settings: Settings) -> DownloadService:
    """Download links signed with the secret key, valid GATEWAY_DOWNLOAD_TTL, on the public URL."""
    return DownloadService(
        tokens=DownloadTokens(settings.secret_key.get_secret_value(), settings.download_ttl),
        public_url=settings.public_url,
        network_name=settings.network_name,
        record_url_template=settings.record_url,
    )


def sharing_service(settings: Settings, mailer: ShareMailer | None) -> SharingService:
    """Accept tokens signed with the secret key, links on the public URL, the library's zone."""
    zone = datetime.now().astimezone().tzinfo
    return SharingService(
        tokens=AcceptTokens(settings.secret_key.get_secret_value()),
        public_url=settings.public_url,
        network_name=settings.network_name,
        request_ttl=settings.share_request_ttl,
        zone=zone if zone is not None else UTC,
        mailer=mailer,
    )


async def _expire_shares(store: PortalStore, clock: Callable[[], datetime]) -> None:
    while True:
        await asyncio.sleep(EXPIRE_SHARES_EVERY)
        try:
            await expire_shares(store, clock())
        except (SQLAlchemyError, OSError):
            _log.warning("share expiry failed; will retry")


async def _purge_sessions(sessions: SessionManager) -> None:
    while True:
        await asyncio.sleep(PURGE_EVERY)
        try:
            await sessions.purge()
        except (SQLAlchemyError, OSError):
            _log.warning("session purge failed; will retry")


async def _seed_alert_lists(ils: IlsPort, store: PortalStore) -> None:
    """The libraries' first new-arrivals lists; an ILS or store down never stops the start-up."""
    try:
        async with asyncio.timeout(SEED_TIMEOUT):
            await seed_alert_lists(ils, store)
    except (GatewayError, SQLAlchemyError, OSError, TimeoutError) as error:
        _log.warning("new-arrivals lists not seeded (%s); send-alerts seeds them", type(error).__name__)


async def _scheduled_alerts(
    schedule: str, ils: IlsPort, store: PortalStore, mail: Mailer, clock: Callable[[], datetime]
) -> None:
    """GATEWAY_ALERTS_SCHEDULE: the digest job in the background, over this gateway's mailer."""

    async def run() -> AlertRun:
        return await send_alerts(
            ils, store, QueuedDigestMailer(mail), today=clock().astimezone().date(), clock=clock
        )

    await alerts_forever(AlertsSchedule.parse(schedule), run, clock)


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    ils: IlsPort | None,
    store: PortalStore | None,
    clock: Callable[[], datetime],
    share_mailer: ShareMailer | None = None,
) -> AsyncIterator[Runtime]:
    """Open everything, yield the runtime, close everything (also when start-up fails half way)."""
    async with AsyncExitStack() as stack:
        if ils is None and settings.sip2_only:
            from adapters.ils.sip2_only import open_sip2_only_ils

            libraries = read_libraries(settings.ils_libraries_file)
            ils = await stack.enter_async_context(
                open_sip2_only_ils(
                    sip2_config(settings),
                    libraries,
                    breaker_failures=settings.ils_breaker_failures,
                    breaker_cooldown=settings.ils_breaker_cooldown,
                )
            )
        elif ils is None:
            from adapters.ils.composite import open_composite_ils

            ils = await stack.enter_async_context(
                open_composite_ils(
                    sip2_config(settings),
                    settings.ils_soap_wsdl,
                    breaker_failures=settings.ils_breaker_failures,
                    breaker_cooldown=settings.ils_breaker_cooldown,
                )
            )
        database = Database(settings.database_url)
        stack.push_async_callback(database.close)
        await database.migrate()
        throttle = LoginThrottle.create(
            settings.redis_url,
            login_limits(settings),
            namespace=f"{settings.redis_prefix}:login",
            clock=lambda: clock().timestamp(),
        )
        stack.push_async_callback(throttle.close)
        sessions = SessionManager(
            SqlSessionStore(database.sessions),
            secret_key=settings.secret_key.get_secret_value(),
            idle_timeout=settings.session_idle_timeout,
            absolute_timeout=settings.session_absolute_timeout,
            clock=clock,
            cache_seconds=settings.store_cache_seconds,
        )
        stack.push_async_callback(_stop, asyncio.create_task(_purge_sessions(sessions)))
        if store is None:
            store = sql_store(database.sessions, clock=clock, cache_seconds=settings.store_cache_seconds)
        await _seed_alert_lists(ils, store)
        stack.push_async_callback(_stop, asyncio.create_task(_expire_shares(store, clock)))
        mail = open_mailer(settings, database.sessions, clock)
        if share_mailer is None:
            # The real mailer: share-request mails go through the queue, and each attempt
            # (sent, failed, retried) becomes the request's events, recorded by the process
            # that made the attempt. Subscribed before the sender starts, so none is missed.
            share_mailer = QueuedShareMailer(mail)
            mail.subscribe(share_mail_listener(store, clock))
        stack.push_async_callback(_stop, asyncio.create_task(deliver_forever(mail, clock)))
        if settings.alerts_schedule:
            stack.push_async_callback(
                _stop,
                asyncio.create_task(_scheduled_alerts(settings.alerts_schedule, ils, store, mail, clock)),
            )
        yield Runtime(
            settings=settings,
            ils=ils,
            store=store,
            database=database,
            sessions=sessions,
            sign_in=SignInService(
                ils, sessions, throttle, password_key=password_key(settings.secret_key.get_secret_value())
            ),
            throttle=throttle,
            reference_cache=MemoryReferenceCache(),
            staff_tokens=settings.staff_token_values(),
            clock=clock,
            downloads=download_service(settings),
            sharing=sharing_service(settings, share_mailer),
            mail=mail,
        )
