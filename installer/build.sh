#!/usr/bin/env bash
# Build the desktop client's one-folder bundle with PyInstaller (installer/veldwerk.spec):
#   bash installer/build.sh [OUT]        OUT defaults to build/installer
# The bundle lands in OUT/dist/veldwerk (start it as OUT/dist/veldwerk/veldwerk); the script
# prints the build time, the bundle's size against its 250 MB budget, and its largest parts.
# Needs the project's venv with the installer extra (bash scripts/install.sh installs it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/build/installer}" && cd "${1:-$ROOT/build/installer}" && pwd)"
PY="${VELDWERK_VENV:-$ROOT/.venv}/bin/python"
BUDGET_MB=250

started=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$OUT/dist" --workpath "$OUT/work" "$ROOT/installer/veldwerk.spec"
took=$(($(date +%s) - started))

BUNDLE="$OUT/dist/veldwerk"
size_mb=$(du -s --apparent-size --block-size=1M "$BUNDLE" | cut -f1)
echo "built $BUNDLE in ${took} s: ${size_mb} MB (budget ${BUDGET_MB} MB)"
echo "largest parts:"
# (awk reads to the end: `head` would leave `sort` a broken pipe, which pipefail reports)
(cd "$BUNDLE" && find . -type f -printf '%s %P\n' | sort -rn |
    awk 'NR <= 12 { printf "  %6.1f MB  %s\n", $1 / 1048576, $2 }')
if [ "$size_mb" -gt "$BUDGET_MB" ]; then
    echo "ERROR: the bundle is over its budget of ${BUDGET_MB} MB" >&2
    exit 1
fi
