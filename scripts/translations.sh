#!/usr/bin/env bash
# Qt translations of the desktop client. Source strings are Dutch; English lives in
# resources/translations/veldwerk_en.ts (committed). The .qm is built, never committed.
#
#   bash scripts/translations.sh update   # collect tr()/translate() strings from app/ui/**.py
#                                         # (and app/bootstrap.py) into veldwerk_en.ts, keeping
#                                         # existing translations, dropping obsolete ones
#   bash scripts/translations.sh build    # veldwerk_en.ts -> veldwerk_en.qm (pyside6-lrelease)
#   bash scripts/translations.sh status   # how many entries still need an English translation
#
# Both update and build print the number of unfinished entries at the end. Translate them in
# the .ts (a text editor or .venv/bin/pyside6-linguist), using the words in shared/UI.md.
#
# Environment: VELDWERK_VENV=/path/to/venv (default: .venv at the repository root);
#              VELDWERK_TS=/path/to/file.ts works on another copy of the .ts (the tests use it;
#              the .qm is then written next to that copy).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VELDWERK_VENV:-$ROOT/.venv}"
TS_DIR="$ROOT/resources/translations"
TS="${VELDWERK_TS:-$TS_DIR/veldwerk_en.ts}"
TS="$(cd "$(dirname "$TS")" && pwd)/$(basename "$TS")"
QM="${TS%.ts}.qm"

die() {
    printf 'translations: ERROR: %s\n' "$*" >&2
    exit 1
}

tool() { # tool NAME: path of a PySide6 tool in the venv
    local path="$VENV/bin/pyside6-$1"
    [ -x "$path" ] || die "$path not found; run: bash scripts/install.sh"
    printf '%s' "$path"
}

sources() { # every Python file with UI strings, one per line, relative to ROOT, sorted
    (
        cd "$ROOT"
        find app/ui -name '*.py' -not -path '*/__pycache__/*' -print | LC_ALL=C sort
        if [ -f app/bootstrap.py ]; then
            printf '%s\n' app/bootstrap.py
        fi
    )
}

unfinished() { # number of messages without a finished translation
    [ -f "$TS" ] || {
        printf '0'
        return
    }
    "$VENV/bin/python" - "$TS" <<'PY'
import sys
import xml.etree.ElementTree as ET

count = 0
for message in ET.parse(sys.argv[1]).getroot().iter("message"):
    translation = message.find("translation")
    texts = [] if translation is None else [translation.text or ""]
    if translation is not None and message.get("numerus") == "yes":
        texts = [form.text or "" for form in translation.iter("numerusform")]
    if (
        translation is None
        or translation.get("type") in {"unfinished", "obsolete", "vanished"}
        or not texts
        or not all(t.strip() for t in texts)
    ):
        count += 1
print(count, end="")
PY
}

report() {
    local n
    n="$(unfinished)"
    printf 'translations: %s unfinished entr%s in %s\n' "$n" "$([ "$n" = 1 ] && echo y || echo ies)" \
        "${TS#"$ROOT"/}"
    if [ "$n" != 0 ]; then
        printf 'translations: translate them (see shared/UI.md for the words), then run: %s build\n' \
            "$0"
    fi
}

update() {
    local lupdate files=()
    lupdate="$(tool lupdate)"
    mapfile -t files < <(sources)
    [ "${#files[@]}" -gt 0 ] || die "no Python files under app/ui"
    (cd "$ROOT" && "$lupdate" -silent -no-obsolete -locations none \
        -source-language nl_NL -target-language en \
        "${files[@]}" -ts "$TS")
    printf 'translations: updated %s from %s files\n' "${TS#"$ROOT"/}" "${#files[@]}"
    report
}

build() {
    local lrelease
    lrelease="$(tool lrelease)"
    [ -f "$TS" ] || die "$TS not found; run: bash scripts/translations.sh update"
    "$lrelease" -silent "$TS" -qm "$QM"
    [ -s "$QM" ] || die "pyside6-lrelease did not write $QM"
    printf 'translations: built %s\n' "${QM#"$ROOT"/}"
    report
}

case "${1:-}" in
update) update ;;
build) build ;;
status) report ;;
*)
    printf 'usage: %s update|build|status\n' "$0" >&2
    exit 2
    ;;
esac
