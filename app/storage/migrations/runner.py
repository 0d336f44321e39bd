"""Run the local migrations at unlock, after an encrypted backup of the database."""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from app.domain.errors import VeldwerkError

KEEP_BACKUPS = 3


class SchemaTooNew(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "database_too_new",
            "Deze gegevens komen van een nieuwere versie van Veldwerk. Installeer die versie.",
            "This data was made by a newer version of Veldwerk. Install that version.",
        )


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    return config


@functools.cache
def head_revision() -> str | None:
    # The scripts shipped with this program do not change while it runs; reading them is ~15 ms,
    # and every sync round's hello names the head.
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_database(engine: Engine, backup_dir: Path, *, label: str) -> Path:
    """An encrypted copy (VACUUM INTO keeps the source's key), created 0600, made atomically."""
    backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    final = backup_dir / f"{stamp}-{label}.db"
    partial = final.with_suffix(".partial")
    # VACUUM INTO wants an absent or empty target: an empty one lets us choose the permissions.
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM INTO ?", (str(partial),))
        cursor.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, final)
    _prune(backup_dir)
    return final


def _prune(backup_dir: Path) -> None:
    backups = sorted(backup_dir.glob("*.db"))
    for old in backups[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)


def upgrade_database(engine: Engine, *, backup_dir: Path) -> bool:
    """Bring the database to the newest schema. Returns whether anything was migrated.

    A database that already holds a schema is backed up first; a new, empty one is not.
    """
    current = current_revision(engine)
    if current == head_revision():
        return False
    if current is not None and not _known(current):
        # Refused before any backup: taking one would prune the real pre-migration backups.
        raise SchemaTooNew()
    if current is not None:
        backup_database(engine, backup_dir, label=f"before-{current}")
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return True
