"""The access report of one client ("Wie heeft mijn dossier bekeken of gewijzigd?", issue #15).

`events.access_events` reads the server's audit log and the devices' synced audit events into one
chronological list with the fields of NEN 7513; `document`, `exports` and `output` turn that list
into the client's PDF or the privacy officer's JSON and CSV and write it. The command is
`veldwerk-server access-report` (server.cli_access).
"""

from server.access.events import AccessEvent, access_events

__all__ = ["AccessEvent", "access_events"]
