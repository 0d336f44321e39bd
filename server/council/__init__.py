"""Figures for the councils (issue #16): what the policy achieved, without personal data.

periods     half years ("2026-H2") and their days in the municipalities' time zone
areas       the former municipalities of Het Hogeland a report is about
scope       whose clients (the areas, or one team) and which days (a window)
figures     the queries (SQLAlchemy Core, SQLite and PostgreSQL alike)
measures    figures that need a rule of the domain (ladder, scores, clocks, plans)
grid        the counts and the equations between them
disclosure  suppression and rounding (pure; the one place the rules live)
cells, tables, texts   from true figures to published tables, in Dutch and English
report      the whole: `council_report`, and `team_figures` for a team lead's overview
outputs_sqlite, outputs_pdf, charts, files   the files `veldwerk-server council-report` writes
"""
