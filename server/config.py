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
    # Failed logins allowed per user and per address in one window before answers slow down.
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    enrollment_code_hours: int = Field(default=24, ge=1, le=24 * 7)
    log_level: str = "INFO"


@lru_cache
def get_settings() -> Settings:
    return Settings()
