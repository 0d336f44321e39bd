"""Operations on the central database: the only code that builds queries. Routes and the CLI
call these; each takes a session and leaves committing to the caller."""
