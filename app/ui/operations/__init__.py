"""How screens run work: `Op` (writes, which publish what changed) and `QueryOp` (reads, newest
answer wins), and the verbs per area built on them (`operations.dossier`, `operations.sync`, ...).
Screens never submit to a lane themselves."""

from app.ui.operations.bus import ChangeBus
from app.ui.operations.op import Cancelled, Context, Op, QueryOp, Task, error_code, show_failure

__all__ = [
    "Cancelled",
    "ChangeBus",
    "Context",
    "Op",
    "QueryOp",
    "Task",
    "error_code",
    "show_failure",
]
