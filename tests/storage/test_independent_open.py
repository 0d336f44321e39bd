"""An independent SQLCipher implementation (SQLite3 Multiple Ciphers, through apsw) opens our
database with the raw data key alone, and refuses it without that key.

This proves the file is standard SQLCipher 4 keyed with the random data key (no hidden
dependence on our own code), so the data stays recoverable with the key and only with the key.
"""

from __future__ import annotations

import os
from pathlib import Path

import apsw
import pytest

from app.storage.profiles import Profile
from app.storage.vault import MemoryAttemptCounter

from .conftest import PASSPHRASE, OpenProfile, make_client, make_note

SURNAME = "Onafhankelijkgelezen"
NOTE = "Notitie die een andere SQLCipher-implementatie moet kunnen lezen"


@pytest.fixture
def closed_profile(opened: OpenProfile) -> tuple[Profile, bytes]:
    client = opened.store.create(make_client(surname=SURNAME))
    opened.store.create(make_note(client.id, NOTE))
    opened.store.close()
    key = opened.profile.vault(counter=MemoryAttemptCounter()).unlock(PASSPHRASE)
    return opened.profile, key


def sqlcipher4(path: Path, key_pragma: str | None) -> apsw.Connection:
    """Open `path` with SQLite3MC set to SQLCipher 4 defaults, optionally keyed."""
    conn = apsw.Connection(str(path))
    conn.execute("PRAGMA cipher = 'sqlcipher'")
    conn.execute("PRAGMA legacy = 4")
    if key_pragma is not None:
        conn.execute(key_pragma)
    return conn


def test_the_library_is_sqlite3mc() -> None:
    assert apsw.sqlite_lib_version().startswith("3.")
    conn = apsw.Connection(":memory:")
    try:
        assert conn.execute("PRAGMA cipher").fetchall() != []
    finally:
        conn.close()


@pytest.mark.parametrize("form", ["x-literal", "raw-prefix"])
def test_the_raw_key_opens_the_database(closed_profile: tuple[Profile, bytes], form: str) -> None:
    profile, key = closed_profile
    assert len(key) == 32
    pragma = (
        f"PRAGMA key = \"x'{key.hex()}'\""
        if form == "x-literal"
        else f"PRAGMA key = 'raw:{key.hex()}'"
    )
    conn = sqlcipher4(profile.db_path, pragma)
    try:
        assert conn.execute("SELECT surname FROM clients").fetchall() == [(SURNAME,)]
        assert conn.execute("SELECT text FROM notes").fetchall() == [(NOTE,)]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_without_a_key_the_file_is_not_a_database(closed_profile: tuple[Profile, bytes]) -> None:
    profile, _ = closed_profile
    for pragmas in (None, "PRAGMA cipher = 'sqlcipher'"):
        conn = apsw.Connection(str(profile.db_path))
        try:
            if pragmas:
                conn.execute(pragmas)
            with pytest.raises(apsw.NotADBError):
                conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            conn.close()


def test_a_wrong_key_is_refused(closed_profile: tuple[Profile, bytes]) -> None:
    profile, key = closed_profile
    wrong = bytes([key[0] ^ 1]) + key[1:]
    conn = sqlcipher4(profile.db_path, f"PRAGMA key = \"x'{wrong.hex()}'\"")
    try:
        with pytest.raises(apsw.NotADBError):
            conn.execute("SELECT surname FROM clients").fetchall()
    finally:
        conn.close()


def test_the_key_is_used_raw_not_as_a_passphrase(closed_profile: tuple[Profile, bytes]) -> None:
    """The same 32 bytes fed through SQLCipher's passphrase KDF (PBKDF2) do not open the file,
    and neither does the user's passphrase: only the random data key itself does."""
    profile, key = closed_profile
    for pragma in (f"PRAGMA hexkey = '{key.hex()}'", f"PRAGMA key = '{PASSPHRASE}'"):
        conn = sqlcipher4(profile.db_path, pragma)
        try:
            with pytest.raises(apsw.NotADBError):
                conn.execute("SELECT surname FROM clients").fetchall()
        finally:
            conn.close()


def test_a_random_key_is_refused(closed_profile: tuple[Profile, bytes]) -> None:
    profile, _ = closed_profile
    conn = sqlcipher4(profile.db_path, f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
    try:
        with pytest.raises(apsw.NotADBError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        conn.close()
