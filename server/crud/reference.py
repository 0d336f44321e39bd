"""Reference data from resources/reference, loaded (idempotently) into the central database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain import reference
from server.models import Scheme, Village


def load_reference_data(session: Session) -> int:
    count = 0
    for village in reference.villages():
        session.merge(
            Village(
                name=village.name,
                postcode_digits=village.postcode_digits,
                municipality=village.municipality,
                current_municipality=village.current_municipality,
            )
        )
        count += 1
    for scheme in reference.Scheme:
        session.merge(
            Scheme(code=scheme.value, name_nl=scheme.label("nl"), name_en=scheme.label("en"))
        )
        count += 1
    return count
