"""What an unlocked profile hands to the screens: the profile, its store, the worker lanes and
the change bus.

Screens receive a Session in their constructor; there is no global window or store object. The
store may be used from both lanes (SQLite in WAL mode with BEGIN IMMEDIATE writers), but never
from the UI thread for anything that can take longer than a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.roles import Role
from app.services.profiles import Profile, Store
from app.ui.operations.bus import ChangeBus
from app.ui.tasks import Lanes


@dataclass
class Session:
    profile: Profile
    store: Store
    lanes: Lanes
    # One bus per running client (made in bootstrap); a test's session gets its own.
    bus: ChangeBus = field(default_factory=ChangeBus)

    @property
    def role(self) -> Role:
        return Role(self.profile.info.role)

    @property
    def username(self) -> str:
        return self.profile.info.username

    @property
    def is_team_lead(self) -> bool:
        return self.role is Role.TEAM_LEAD
