"""Use cases for the UI and the CLI: the one place where storage, sync, reports and the domain
meet (DESIGN.md section 2).

The errors a screen tells apart are importable from here, whichever layer raises them, so that
the UI never imports app.storage or app.sync.
"""

from app.services.profiles import (
    DeviceRevoked,
    LeaseExpired,
    ProfileError,
    ProfileWiped,
    UnlockDelayed,
    VaultCorrupt,
    WrongPassphrase,
)
from app.services.sync import SyncCancelled

__all__ = [
    "DeviceRevoked",
    "LeaseExpired",
    "ProfileError",
    "ProfileWiped",
    "SyncCancelled",
    "UnlockDelayed",
    "VaultCorrupt",
    "WrongPassphrase",
]
