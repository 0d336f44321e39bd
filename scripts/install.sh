#!/usr/bin/env bash
# Install everything Veldwerk needs on a Debian/Ubuntu machine with Python 3.11+:
#   1. Debian packages Qt and the PDF tests need (skipped with VELDWERK_SKIP_APT=1),
#   2. a virtual environment in .venv at the repository root,
#   3. the project itself, editable, with all extras, pinned by constraints.txt.
# Safe to run again: it only installs what is missing. Called (or sourced) by
# scripts/test.sh and scripts/demo.sh.
#
# Environment:
#   PYTHON=/path/to/python3.x   interpreter for the venv (default: python3)
#   VELDWERK_SKIP_APT=1         do not touch Debian packages
#   CI=true                     no desktop (xcb) libraries
#   VELDWERK_BROWSER_TESTS=1    also Debian's chromium, for the console's browser tests
set -euo pipefail

VW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VW_VENV="$VW_ROOT/.venv"

_vw_say() { printf 'install: %s\n' "$*"; }
_vw_warn() { printf 'install: WARNING: %s\n' "$*" >&2; }
_vw_die() {
    printf 'install: ERROR: %s\n' "$*" >&2
    exit 1
}

_vw_is_ci() { [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; }

# --- Python interpreter ---------------------------------------------------------------------
VW_PY="${PYTHON:-python3}"
_vw_py_ok() { # $1: interpreter; true if it runs and is >= 3.11
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}
_vw_venv_ok() { [ -x "$VW_VENV/bin/python" ] && _vw_py_ok "$VW_VENV/bin/python"; }

# --- Debian packages ------------------------------------------------------------------------
VW_APT_BASE=(libglib2.0-0 libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 dbus-daemon poppler-utils
    binutils)
VW_APT_DESKTOP=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0)
# The console's browser tests (VELDWERK_BROWSER_TESTS=1, set by scripts/test.sh).
VW_APT_BROWSER=(chromium)
VW_APT_SUMMARY="apt skipped"

_vw_pkg_installed() { # also accept Ubuntu's 64-bit time_t renames (libglib2.0-0t64, ...)
    local p
    for p in "$1" "${1}t64"; do
        if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            return 0
        fi
    done
    return 1
}

_vw_venv_module_works() {
    command -v "$VW_PY" >/dev/null 2>&1 || return 1
    local tmp rc=0
    tmp="$(mktemp -d)"
    "$VW_PY" -m venv "$tmp/v" >/dev/null 2>&1 || rc=1
    rm -rf "$tmp"
    return "$rc"
}

_vw_apt() {
    if [ "${VELDWERK_SKIP_APT:-}" = "1" ]; then
        _vw_say "VELDWERK_SKIP_APT=1: not checking Debian packages"
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        _vw_warn "not a Debian/Ubuntu system; make sure these libraries are installed:" \
            "${VW_APT_BASE[*]}"
        VW_APT_SUMMARY="apt not available"
        return 0
    fi

    local wanted=("${VW_APT_BASE[@]}")
    if ! _vw_is_ci && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
        wanted+=("${VW_APT_DESKTOP[@]}")
    fi
    if [ "${VELDWERK_BROWSER_TESTS:-}" = "1" ]; then
        wanted+=("${VW_APT_BROWSER[@]}")
    fi
    # python3-venv/python3-dev only when a venv cannot be made and none exists yet.
    if ! _vw_venv_ok && ! _vw_venv_module_works; then
        wanted+=(python3-venv python3-dev)
    fi

    local missing=() p
    for p in "${wanted[@]}"; do
        _vw_pkg_installed "$p" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        VW_APT_SUMMARY="system packages present"
        return 0
    fi

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
            sudo=(sudo -n)
        else
            _vw_warn "not root and no password-less sudo; please install:"
            _vw_warn "  sudo apt-get install --no-install-recommends ${missing[*]}"
            VW_APT_SUMMARY="missing system packages: ${missing[*]}"
            return 0
        fi
    fi

    _vw_say "installing Debian packages: ${missing[*]}"
    local log
    log="$(mktemp)"
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        _vw_warn "apt-get update failed; trying to install from the existing package lists"
    fi
    # Ask only for packages this distribution knows (name or its t64 rename).
    local installable=() unknown=()
    for p in "${missing[@]}"; do
        if apt-cache show "$p" >/dev/null 2>&1; then
            installable+=("$p")
        elif apt-cache show "${p}t64" >/dev/null 2>&1; then
            installable+=("${p}t64")
        else
            unknown+=("$p")
        fi
    done
    [ "${#unknown[@]}" -eq 0 ] || _vw_warn "not in the package lists, skipped: ${unknown[*]}"
    if [ "${#installable[@]}" -gt 0 ]; then
        if "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${installable[@]}" >"$log" 2>&1; then
            VW_APT_SUMMARY="installed ${installable[*]}"
        else
            tail -n 20 "$log" >&2
            _vw_warn "apt-get install failed; continuing, but Qt or the PDF tests may not work"
            VW_APT_SUMMARY="apt-get install FAILED for ${installable[*]}"
        fi
    fi
    rm -f "$log"
    return 0
}

# --- venv and project -----------------------------------------------------------------------
_vw_venv() {
    if _vw_venv_ok; then
        return 0
    fi
    command -v "$VW_PY" >/dev/null 2>&1 || _vw_die "$VW_PY not found; install Python 3.11 or newer (or set PYTHON=...)"
    _vw_py_ok "$VW_PY" ||
        _vw_die "$("$VW_PY" -V 2>&1) is too old; Veldwerk needs Python 3.11 or newer (set PYTHON=...)"
    if [ -e "$VW_VENV" ]; then
        _vw_warn "$VW_VENV is broken or too old; recreating it"
    fi
    _vw_say "creating $VW_VENV with $("$VW_PY" -V 2>&1)"
    "$VW_PY" -m venv --clear "$VW_VENV" ||
        _vw_die "could not create $VW_VENV (see above); if the venv module is missing: apt-get install python3-venv"
}

_vw_pip() {
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    local pip=("$VW_VENV/bin/python" -m pip)
    "${pip[@]}" install -q --upgrade pip
    _vw_say "installing veldwerk[server,test,dev,installer] (pinned by constraints.txt)"
    # (the filter hides setuptools' generic "Editable installation" notice on every run)
    (cd "$VW_ROOT" && PYTHONWARNINGS="ignore:Editable installation:UserWarning" \
        "${pip[@]}" install -q -c constraints.txt -e ".[server,test,dev,installer]")
}

_vw_apt
_vw_venv
_vw_pip
# The English translation of the desktop client is built from the committed .ts, never committed.
_vw_say "building translations (resources/translations/veldwerk_en.qm)"
VELDWERK_VENV="$VW_VENV" bash "$VW_ROOT/scripts/translations.sh" build
_vw_say "ready: $("$VW_VENV/bin/python" -V 2>&1) in $VW_VENV; veldwerk $("$VW_VENV/bin/python" -c 'from importlib.metadata import version; print(version("veldwerk"))'); $VW_APT_SUMMARY"
