"""Turning what a person types into a safe FTS5 query.

Every word becomes a quoted prefix term, so nothing typed can act as FTS5 syntax (a stray quote,
`NEAR`, a column filter), and typing "zoe v" already finds "Zoë van der Berg". A postcode typed
without its space ("9974ab") is split the way the index holds it ("9974", "ab").
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
_POSTCODE_GLUED = re.compile(r"^(\d{4})([a-z]{2})$")
MAX_TERMS = 8


def match_query(text: str) -> str | None:
    terms: list[str] = []
    # NFC first: text pasted or typed on macOS may carry "u" + a combining mark, which \w would
    # split into two words.
    for word in _WORD.findall(unicodedata.normalize("NFC", text).casefold()):
        glued = _POSTCODE_GLUED.match(word)
        terms.extend(glued.groups() if glued else (word,))
    terms = [t.replace("_", "") for t in terms if t.replace("_", "")]
    if not terms:
        return None
    return " ".join(f'"{term}"*' for term in terms[:MAX_TERMS])
