#!/usr/bin/env bash
# Install everything (scripts/install.sh), then start the Veldwerk demo.
# Arguments go to `veldwerk demo`, e.g.  bash scripts/demo.sh --headless --clients 50
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash "$ROOT/scripts/install.sh"

# The window needs a screen. Without one (a server, an SSH session) say so and make the local
# demo profiles instead of letting Qt abort on a missing display.
if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] \
    && [ -z "${QT_QPA_PLATFORM:-}" ] && [[ " $* " != *" --headless "* ]]; then
    printf 'demo: no screen (DISPLAY/WAYLAND_DISPLAY unset): creating the demo profiles without a window\n' >&2
    exec "$ROOT/.venv/bin/veldwerk" demo --headless "$@"
fi
exec "$ROOT/.venv/bin/veldwerk" demo "$@"
