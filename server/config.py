"""The server's settings: one pydantic Settings class read from the environment (VELDWERK_*)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VELDWERK_", extra="ignore")

    # SQLite in the working directory by default (the embedded demo server); in production
    # postgresql+psycopg://user@host/db.
    database_url: str = "sqlite:///veldwerk-server.db"
    # Failed enrollments allowed per address in one window before that address is refused.
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    # Per user name, without a valid enrollment code: a delay that doubles with each failure
    # from the third on, up to this cap (slows a guesser, never locks the real user out).
    login_delay_cap_seconds: int = Field(default=300, ge=1)
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated addresses,
    # e.g. "10.0.0.5"); empty: none, the peer address is the client's address.
    trusted_proxies: str = ""
    # The largest request body read, checked from Content-Length and while streaming, before
    # authentication: JSON bodies (a push is at most 1 MB) and one attachment chunk.
    max_json_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    max_blob_chunk_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    # Attachment bytes no record names any more are removed after this many days.
    blob_unreferenced_days: int = Field(default=7, ge=1)
    # Seconds an idle connection is kept open: longer than a device leaves its connection idle
    # (the window checks the server every 30 s), so a sync on a slow link starts without a new
    # TCP and TLS handshake. A reverse proxy in front needs at least as long (nginx:
    # keepalive_timeout 75s).
    keep_alive_seconds: int = Field(default=75, ge=1, le=3600)
    enrollment_code_hours: int = Field(default=24, ge=1, le=24 * 7)
    # The console (/beheer): a session unused this long is signed out, and any session after
    # console_max_hours (BIO 9.4.2: sessions end after inactivity).
    console_idle_minutes: int = Field(default=15, ge=1, le=240)
    console_max_hours: int = Field(default=8, ge=1, le=24)
    log_level: str = "INFO"


@lru_cache
def get_settings() -> Settings:
    return Settings()
