#!/usr/bin/env bash
# Install everything (scripts/install.sh), then start the Veldwerk demo.
# Arguments go to `veldwerk demo`, e.g.  bash scripts/demo.sh --headless --clients 50
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash "$ROOT/scripts/install.sh"

exec "$ROOT/.venv/bin/veldwerk" demo "$@"
