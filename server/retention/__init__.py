"""Retention, legal hold, erasure on request, and the purge of login data (issue #15).

- `files`: what the retention schedule (app.domain.retention) says of every client's file today:
  due, on hold, not yet due, still running, or without any provision (listed for review).
- `destroy`: the one destruction path, for retention and for erasure alike. It removes the
  client's file from the server; the devices that hold the client get it as a scope exit at their
  next pull, since it is no longer in any scope, and purge it with secure_delete.
- `scrub`: what is kept of a destroyed file — audit entries and device audit events keep their
  row and the record's random id, not personal data; stored push answers lose the values.
- `contact`: login and device-contact data past their six months.
- `run`: `veldwerk-server retention run [--dry-run]`: a plan first (exactly what a real run
  does), then, unless a dry run, the destruction and its permanent statement.
- `holds`, `erasure`, `statements`: legal holds, erasure requests and destruction statements.
"""
