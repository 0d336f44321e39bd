"""What an unlocked profile hands to the screens: the profile, its store and the worker lanes.

Screens receive a Session in their constructor; there is no global window or store object. The
store may be used from both lanes (SQLite in WAL mode with BEGIN IMMEDIATE writers), but never
from the UI thread for anything that can take longer than a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.storage.profiles import Profile
from app.storage.store import Store
from app.ui.tasks import Lanes


@dataclass
class Session:
    profile: Profile
    store: Store
    lanes: Lanes

    @property
    def role(self) -> str:
        return self.profile.info.role

    @property
    def username(self) -> str:
        return self.profile.info.username

    @property
    def is_team_lead(self) -> bool:
        return self.role == "team_lead"
