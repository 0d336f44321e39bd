"""The pages of a SQLCipher 4 database, decrypted with its raw key: what someone holding the key
could read from the file, freed pages and leftovers in used pages included (a logical export
would show only live rows). SECURITY.md S16 scans these for what a purge must have removed.

SQLCipher 4's defaults, which our engine keeps: 4096-byte pages, each ending in 80 reserved
bytes (a 16-byte IV, then a 64-byte HMAC-SHA512); AES-256-CBC over the rest of the page. A raw
key (`x'…'`) is the AES key itself. The first 16 bytes of the file are the salt, not encrypted;
page 1's encrypted part starts after them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80
IV_SIZE = 16
SALT_SIZE = 16


def decrypted_pages(path: Path, key: bytes) -> Iterator[tuple[int, bytes]]:
    """(page number, plaintext) for every page of the database file at `path`."""
    data = path.read_bytes()
    if len(data) % PAGE_SIZE:
        raise ValueError("not a whole number of pages")
    for index in range(len(data) // PAGE_SIZE):
        page = data[index * PAGE_SIZE : (index + 1) * PAGE_SIZE]
        start = SALT_SIZE if index == 0 else 0
        iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + IV_SIZE]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        yield index + 1, decryptor.update(page[start : PAGE_SIZE - RESERVE]) + decryptor.finalize()


def plaintext_hits(path: Path, key: bytes, needles: dict[bytes, str]) -> list[str]:
    """Which of the needles (pattern -> label) appear in any decrypted page, with the page."""
    hits = []
    for number, page in decrypted_pages(path, key):
        hits += [f"{label} on page {number}" for needle, label in needles.items() if needle in page]
    return hits
