#!/usr/bin/env bash
# Install everything (scripts/install.sh), then run the whole check suite, stopping at the
# first failing step: lint, format, types, layering, migration checks, pytest.
# Extra arguments go to pytest, e.g.  bash scripts/test.sh tests/domain -x
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VELDWERK_BROWSER_TESTS=1 bash "$ROOT/scripts/install.sh"

export PATH="$ROOT/.venv/bin:$PATH"
export VIRTUAL_ENV="$ROOT/.venv"
export QT_QPA_PLATFORM=offscreen
PY="$ROOT/.venv/bin/python"

is_ci() { [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; }

step() { # step "title" command args...
    local title="$1"
    shift
    printf '\n==> %s\n' "$title"
    local rc=0
    "$@" || rc=$?
    if [ "$rc" -ne 0 ]; then
        printf '\n==> FAILED (exit %s): %s\n' "$rc" "$title" >&2
        exit "$rc"
    fi
}

postgres_reachable() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h 127.0.0.1 -p 5432 -t 5
    else
        "$PY" -c 'import socket; socket.create_connection(("127.0.0.1", 5432), timeout=5).close()' \
            2>/dev/null
    fi
}

check_postgres() {
    if postgres_reachable; then
        echo "PostgreSQL is accepting connections at 127.0.0.1:5432"
        return 0
    fi
    local msg="PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres); the server tests need it."
    if is_ci; then
        echo "ERROR: $msg" >&2
        echo "Start it, e.g.: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
        return 1
    fi
    echo "WARNING: $msg The server tests will fail without it." >&2
    return 0
}

step "PostgreSQL at 127.0.0.1:5432" check_postgres
step "ruff check ." ruff check .
step "ruff format --check ." ruff format --check .

mypy_dirs=()
for d in app server tests bench; do
    # mypy refuses a directory with no Python files in it
    if [ -d "$d" ] && [ -n "$(find "$d" -name '*.py' -print -quit)" ]; then
        mypy_dirs+=("$d")
    fi
done
step "mypy ${mypy_dirs[*]}" mypy "${mypy_dirs[@]}"

step "lint-imports" lint-imports

if [ -f app/storage/migrations/check.py ]; then
    step "python -m app.storage.migrations.check" "$PY" -m app.storage.migrations.check
fi
if [ -f server/migrations/check.py ]; then
    step "python -m server.migrations.check" "$PY" -m server.migrations.check
fi

if [ $# -eq 0 ]; then
    # The whole suite runs on every core (at most four: the timing-sensitive link and outage
    # tests share the machine with their servers) and names its slowest tests, so CI's time can
    # be watched (it must stay well inside 30 minutes; on two cores this halves it). Tests make
    # their own databases, ports and folders, so workers never meet. VELDWERK_TEST_WORKERS=0
    # runs it in one process.
    step "pytest" pytest -n "${VELDWERK_TEST_WORKERS:-auto}" --maxprocesses 4 --dist worksteal \
        --durations=25
else
    step "pytest $*" pytest "$@"
fi

# Every main screen rendered from demo data at 150% in the dark palette, so the pictures a
# reviewer looks at cannot rot (the whole suite only: extra arguments mean a partial run). Both
# languages at 100% are rendered, and checked, by tests/ui/test_screenshots.py in pytest.
if [ $# -eq 0 ]; then
    step "screenshots at 150%, dark" \
        "$PY" -m app.ui.screenshots "$ROOT/build/screenshots/150-dark" --scale 1.5 --dark
fi

printf '\n==> all checks passed\n'
