"""The central office console: server-rendered pages under /beheer for administrators (accounts,
teams, devices, caseload, imports, audit), Dutch first with English. Sign-in takes a password
and a TOTP code; sessions live in the database, their cookie is Secure, HttpOnly and
SameSite=Strict, every form carries a CSRF token, and every action is audited with the
administrator's name. The console asks the same policy (`server.policy`) as the device API: an
administrator administers, and still cannot read a dossier."""
