"""Which client a report is about: by id, or by BSN (checked with the 11-check first).

A deleted client is found too: their dossier's tombstone and its audit trail are still held, and
they may still ask who saw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.formatting import full_name, masked_bsn
from app.domain.reference import letterhead_municipality
from app.domain.values import Bsn
from server.access.errors import UnknownClient
from server.models import clients

__all__ = ["ClientFound", "find_client"]


@dataclass(frozen=True, slots=True)
class ClientFound:
    id: str
    name: str  # as printed: "Testa Proefpersoon"
    masked_bsn: str
    village: str
    municipality: str  # as stored with the address

    def letterhead(self, on: date) -> str:
        """Whose letterhead the report carries: today's municipality of the client's village; a
        village the reference data does not know keeps the municipality stored with the address
        (the rule the device's documents follow)."""
        try:
            return letterhead_municipality(self.village, on)
        except DomainError:
            return self.municipality


def find_client(session: Session, *, client_id: str | None, bsn: str | None) -> ClientFound:
    """The client named by id or BSN; `UnknownClient` if there is none, `ValidationError` for
    a BSN that fails the 11-check (so a typo is not reported as an unknown client)."""
    query = select(
        clients.c.id,
        clients.c.bsn,
        clients.c.initials,
        clients.c.first_names,
        clients.c.name_prefix,
        clients.c.surname,
        clients.c.village,
        clients.c.municipality,
    )
    if bsn is not None:
        query = query.where(clients.c.bsn == Bsn(bsn).value)
    elif client_id is not None:
        query = query.where(clients.c.id == client_id)
    else:
        raise UnknownClient()
    row = session.execute(query).first()
    if row is None:
        raise UnknownClient()
    return ClientFound(
        id=str(row.id),
        name=full_name(
            surname=str(row.surname),
            first_names=str(row.first_names or ""),
            initials=str(row.initials or ""),
            name_prefix=str(row.name_prefix or ""),
        ),
        masked_bsn=masked_bsn(str(row.bsn)),
        village=str(row.village or ""),
        municipality=str(row.municipality or ""),
    )
