"""SECURITY.md S1/S2: nothing written through the repositories is readable on disk.

Known markers are written, edited, sorted, searched and backed up; then every file of the profile
(and anything new in the temp directories) is scanned for them in UTF-8 and UTF-16-LE. SQLite's
own temp files are deleted right after they are opened, so a directory listing would never see
them: while the large sorts run, the process's open file descriptors are checked as well.
"""

from __future__ import annotations

import base64
import dataclasses
import math
import os
import secrets
import string
import tempfile
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection

from app.storage.migrations.runner import backup_database
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import MemoryAttemptCounter
from tests import store_access

from .conftest import (
    PASSPHRASE,
    USERNAME,
    OpenProfile,
    make_client,
    make_intake,
    make_note,
    make_visit,
    random_bsn,
    valid_bsns,
)

SQLITE_HEADER = b"SQLite format 3\x00"
PROC_FD = Path("/proc/self/fd")
# Width of the filler column of the big sort; how many copies of each client the sort gets is
# computed from the cache size (see sort_copies).
SORT_PAD_BYTES = 600
MAX_SCANNED_FILE = 256 * 1024 * 1024


def _suffix() -> str:
    """Per-run letters, so a marker can never be confused with another run's files in /tmp."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


@dataclass(frozen=True)
class Markers:
    surname: str
    new_surname: str
    street: str
    bsn: str
    note: str
    new_note: str
    visit_note: str
    barriers: str

    def needles(self) -> dict[bytes, str]:
        """Every byte pattern to look for, with a label that says which marker it is."""
        found: dict[bytes, str] = {}
        for field in dataclasses.fields(self):
            value: str = getattr(self, field.name)
            for variant in {value, value.lower(), value.upper()}:
                for encoding in ("utf-8", "utf-16-le"):
                    found[variant.encode(encoding)] = f"{field.name} ({encoding})"
        # The distinctive tail of a sentence is enough to count as a leak.
        found[b"keukentafel 7731"] = "note tail"
        return found


@pytest.fixture
def markers() -> Markers:
    tag = _suffix()
    return Markers(
        surname=f"Plaintextmarkerachternaam{tag}",
        new_surname=f"Bijgewerktemarkernaam{tag}",
        street=f"Markeerstraatweg{tag}",
        bsn=random_bsn(),
        note=f"Geheime notitie over schulden bij de keukentafel 7731 {tag}",
        new_note=f"Gewijzigde geheime notitie over de deurwaarder 8842 {tag}",
        visit_note=f"Huisbezoek: schimmel in de slaapkamer, markering {tag}",
        barriers=f"Verslavingsmarkering {tag}",
    )


def scan(paths: list[Path], needles: dict[bytes, str]) -> list[str]:
    hits: list[str] = []
    for path in paths:
        try:
            if path.stat().st_size > MAX_SCANNED_FILE:  # not ours: nothing here is that large
                continue
            data = path.read_bytes()
        except OSError:
            continue
        hits.extend(f"{path}: {label}" for needle, label in needles.items() if needle in data)
    return hits


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def temp_dirs() -> list[Path]:
    """Python's temp dir and the places SQLite's unix VFS puts temp files."""
    candidates = [tempfile.gettempdir(), os.environ.get("SQLITE_TMPDIR"), "/var/tmp", "/usr/tmp"]
    seen: list[Path] = []
    for candidate in candidates:
        if candidate and Path(candidate).is_dir() and Path(candidate).resolve() not in seen:
            seen.append(Path(candidate).resolve())
    return seen


def snapshot(roots: list[Path], exclude: Path) -> set[Path]:
    found: set[Path] = set()
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root, onerror=lambda _e: None):
            here = Path(dirpath)
            if here == exclude or exclude in here.parents:
                dirnames.clear()
                continue
            found.update(here / name for name in filenames)
    return found


def open_files() -> dict[int, str]:
    """fd -> target of every file descriptor this process has open (Linux)."""
    result: dict[int, str] = {}
    if not PROC_FD.is_dir():
        return result
    for entry in PROC_FD.iterdir():
        try:
            result[int(entry.name)] = os.readlink(entry)
        except OSError:
            continue
    return result


def new_files_during(before: dict[int, str]) -> dict[int, str]:
    """Files this process opened since `before` was taken."""
    return {
        fd: target
        for fd, target in open_files().items()
        if before.get(fd) != target and target.startswith("/")
    }


def content_of_fd(fd: int) -> bytes:
    try:
        return (PROC_FD / str(fd)).read_bytes()
    except OSError:
        return b""


def sort_copies(conn: Connection) -> int:
    """How often to repeat each client so a sort holds twice the page cache: were temp storage
    files, SQLite's sorter would then have to write sorted runs to a temp file."""
    cache = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    page = int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())
    cache_bytes = -cache * 1024 if cache < 0 else cache * page
    rows = int(conn.exec_driver_sql("SELECT count(*) FROM clients").scalar_one())
    return max(1, math.ceil(2 * cache_bytes / (rows * (SORT_PAD_BYTES + 50))))


def big_sort(conn: Connection) -> Generator[dict[int, str], None, None]:
    """Run sorts large enough to spill to disk if temp storage were files; while each result is
    open, yield the files opened since it started."""
    copies = sort_copies(conn)
    before = open_files()
    result = conn.exec_driver_sql(
        "WITH RECURSIVE copies(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies WHERE n < ?) "
        "SELECT c.bsn, c.surname, c.street, n, hex(randomblob(?)) AS pad "
        "FROM clients c CROSS JOIN copies ORDER BY c.street DESC, pad",
        (copies, SORT_PAD_BYTES // 2),
    )
    assert result.fetchone() is not None
    yield new_files_during(before)
    result.close()

    before = open_files()
    conn.exec_driver_sql(
        "CREATE TEMP TABLE scratch AS SELECT bsn, surname, street, hex(randomblob(?)) AS pad "
        "FROM clients",
        (SORT_PAD_BYTES // 2,),
    )
    result = conn.exec_driver_sql("SELECT * FROM scratch ORDER BY surname COLLATE NOCASE DESC")
    assert result.fetchone() is not None
    yield new_files_during(before)
    result.close()
    conn.exec_driver_sql("DROP TABLE scratch")


def write_everything(store: Store, markers: Markers) -> str:
    """Write the markers through the repositories, edit some, bury them among 2,000 clients."""
    client = store.create(make_client(bsn=markers.bsn, surname=markers.surname))
    client = store.update(
        dataclasses.replace(
            client,
            address=dataclasses.replace(client.address, street=markers.street),
        )
    )
    note = store.create(make_note(client.id, markers.note))
    store.create(make_visit(client.id, notes=markers.visit_note))
    store.create(dataclasses.replace(make_intake(client.id), barriers=markers.barriers))
    store.update(dataclasses.replace(note, text=markers.new_note))
    store.update(
        dataclasses.replace(
            client, name=dataclasses.replace(client.name, surname=markers.new_surname)
        )
    )
    store.open_dossier(client.id)
    with store.transaction() as tx:
        for i, bsn in enumerate(valid_bsns(2_000, start=30_000_000)):
            if bsn == markers.bsn:
                continue
            tx.create(make_client(bsn=bsn, surname=f"Vulnaam{i:04d}", street=f"Laan {i % 37}"))
    return client.id


@pytest.fixture
def temp_before(tmp_path: Path) -> set[Path]:
    return snapshot(temp_dirs(), exclude=tmp_path)


def test_no_marker_reaches_the_disk_in_plaintext(
    temp_before: set[Path], tmp_path: Path, opened: OpenProfile, markers: Markers
) -> None:
    profile, store = opened.profile, opened.store
    needles = markers.needles()
    client_id = write_everything(store, markers)

    # Large sorts: the caseload, a search, an ORDER BY on a column without an index.
    caseload = store.caseload()
    assert len(caseload) >= 2_000
    assert any(s.id == client_id for s in caseload)
    assert [s.id for s in store.search(markers.new_surname[:12])] == [client_id]
    assert [s.id for s in store.search(markers.bsn)] == [client_id]
    with store_access.connect(store) as conn:
        for opened_meanwhile in big_sort(conn):
            leaked = {fd: t for fd, t in opened_meanwhile.items() if "veldwerk.db" not in t}
            assert leaked == {}, "SQLite opened temp files during a sort"
            for fd in opened_meanwhile:
                data = content_of_fd(fd)
                assert not [label for needle, label in needles.items() if needle in data]

    engine = store_access.engine_of(store)
    backup = backup_database(engine, profile.backup_dir, label="plaintext-test")

    # While the database is open, its WAL holds the most recent pages: scan that state too.
    live = files_under(profile.path)
    assert profile.db_path in live
    assert profile.db_path.with_name("veldwerk.db-wal") in live
    assert backup in live
    assert scan(live, needles) == []

    store.close()
    data_key = profile.vault(counter=MemoryAttemptCounter()).unlock(PASSPHRASE)
    at_rest = files_under(profile.path)
    assert {p.name for p in at_rest} >= {"veldwerk.db", "key.json", "profile.json", backup.name}
    assert scan(at_rest, needles) == []
    # The scanner does read every file: the user name in profile.json is plain text by design.
    assert scan(at_rest, {USERNAME.encode(): "user name"}) == [
        f"{profile.path / 'profile.json'}: user name"
    ]

    # No plaintext header on the database or its backup.
    for path in (profile.db_path, backup):
        head = path.read_bytes()[:16]
        assert head != SQLITE_HEADER
        assert not head.startswith(b"SQLite")

    # The key file holds neither the passphrase nor the data key in any common encoding.
    key_file = profile.key_path.read_bytes()
    for secret in _encodings_of_key(data_key) + [
        PASSPHRASE.encode(),
        PASSPHRASE.encode("utf-16-le"),
    ]:
        assert secret not in key_file

    # Nothing new in the temp directories holds a marker, and SQLite made no temp files there.
    new = snapshot(temp_dirs(), exclude=tmp_path) - temp_before
    assert scan(sorted(new), needles) == []
    assert [p for p in new if p.name.startswith("etilqs_")] == []


def _encodings_of_key(key: bytes) -> list[bytes]:
    return [
        key,
        key.hex().encode(),
        key.hex().upper().encode(),
        base64.b64encode(key),
        base64.urlsafe_b64encode(key),
        base64.b64encode(key).rstrip(b"="),
        base64.b32encode(key),
    ]


@pytest.mark.skipif(not PROC_FD.is_dir(), reason="reads open files through /proc (Linux)")
def test_the_probe_would_see_a_plaintext_temp_file(opened: OpenProfile, markers: Markers) -> None:
    """The detector above is not blind: with file temp storage (the setting the engine forbids)
    the same sort opens an unencrypted temp file holding the BSN, and the probe finds it."""
    store = opened.store
    store.create(make_client(bsn=markers.bsn, surname=markers.surname))
    with store.transaction() as tx:
        for i, bsn in enumerate(valid_bsns(2_000, start=30_000_000)):
            if bsn != markers.bsn:
                tx.create(make_client(bsn=bsn, surname=f"Vulnaam{i:04d}"))
    with store_access.connect(store) as conn:
        try:
            # Outside any transaction, directly on the DB-API connection (SQLite insists).
            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None
            cursor = dbapi.cursor()
            cursor.execute("PRAGMA temp_store = FILE")
            cursor.close()
            sorts = big_sort(conn)
            first = next(sorts)  # the sort's result is still open here
            temp = [fd for fd, target in first.items() if "veldwerk.db" not in target]
            assert temp, "a sort this large should have spilled to a temp file"
            contents = b"".join(content_of_fd(fd) for fd in temp)
            sorts.close()
            assert markers.bsn.encode() in contents
        finally:
            # Never hand this connection back to the pool with file temp storage.
            conn.invalidate()


def test_profile_files_have_no_plaintext_after_a_fresh_unlock(
    opened: OpenProfile, markers: Markers
) -> None:
    profile, store = opened.profile, opened.store
    write_everything(store, markers)
    store.close()
    again = profile.unlock(PASSPHRASE, vault=profile.vault(counter=MemoryAttemptCounter()))
    try:
        assert again.search(markers.new_surname)
        assert scan(files_under(profile.path), markers.needles()) == []
    finally:
        again.close()
    assert scan(files_under(profile.path), markers.needles()) == []
    assert isinstance(profile, Profile)
