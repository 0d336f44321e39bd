"""What a write or a sync round changed, so each screen can decide whether to redraw.

A `Changes` names record kinds (the entity names of `schema.FIELDS`, plus the topics below) and
the clients they belong to. It says nothing about values: it may travel anywhere a signal goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Topics that are not record kinds: the queue of unsent changes (every local write adds to it),
# the sync state (last sync, server reachability), the conflicts list, and the device's settings.
JOURNAL = "journal"
SYNC = "sync"
CONFLICT = "conflict"
SETTINGS = "settings"


@dataclass(frozen=True, slots=True)
class Changes:
    """`client_ids` is None when the change may concern any client (a sync round, an import)."""

    entities: frozenset[str] = frozenset()
    client_ids: frozenset[str] | None = frozenset()

    @classmethod
    def of(cls, *entities: str, client_id: str | None = None) -> Changes:
        """A local write: the entities named, the journal (it now holds one more change), and
        the client it belongs to."""
        return cls(
            frozenset((*entities, JOURNAL)),
            frozenset({client_id}) if client_id is not None else frozenset(),
        )

    @classmethod
    def for_clients(cls, entities: Iterable[str], client_ids: Iterable[str] | None) -> Changes:
        return cls(frozenset(entities), None if client_ids is None else frozenset(client_ids))

    @property
    def any_client(self) -> bool:
        return self.client_ids is None

    def touches(self, *entities: str, client_id: str | None = None) -> bool:
        """True when one of `entities` changed (any entity when none is named) and, if a client
        is given, when that client may be among those it changed."""
        if entities and self.entities.isdisjoint(entities):
            return False
        if not entities and not self.entities:
            return False
        if client_id is None or self.client_ids is None:
            return True
        return client_id in self.client_ids

    def __or__(self, other: Changes) -> Changes:
        clients = (
            None
            if self.client_ids is None or other.client_ids is None
            else self.client_ids | other.client_ids
        )
        return Changes(self.entities | other.entities, clients)

    def __bool__(self) -> bool:
        return bool(self.entities)
