#!/usr/bin/env bash
# Package a built bundle (installer/build.sh) as a Debian package:
#   bash installer/build_deb.sh BUNDLE OUT      BUNDLE: .../dist/veldwerk; OUT: a folder
# Files go under /opt/veldwerk, with a `veldwerk` command in /usr/bin, a menu entry and its
# icon. Depends names the system libraries Qt's X11/Wayland platform needs and the bundle does
# not carry (the same as scripts/install.sh asks for on a desktop). Prints the .deb's path.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$(cd "$1" && pwd)"
OUT="$(mkdir -p "$2" && cd "$2" && pwd)"
[ -x "$BUNDLE/veldwerk" ] || { echo "ERROR: no bundle at $BUNDLE (run installer/build.sh)" >&2; exit 1; }

VERSION="$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
ARCH="$(dpkg --print-architecture)"
# Ubuntu 24.04 renamed some libraries for 64-bit time_t (libglib2.0-0t64): either will do.
DEPENDS="libc6, libglib2.0-0 | libglib2.0-0t64, libdbus-1-3, libfontconfig1, libfreetype6,
 libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libx11-xcb1, libxcb1, libxcb-cursor0,
 libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0,
 libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, libcups2 | libcups2t64"

STAGE="$OUT/veldwerk_${VERSION}_${ARCH}"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/veldwerk"
cp -a "$BUNDLE" "$STAGE/opt/veldwerk"
ln -s /opt/veldwerk/veldwerk "$STAGE/usr/bin/veldwerk"
install -m 0644 "$ROOT/installer/veldwerk.desktop" "$STAGE/usr/share/applications/veldwerk.desktop"
install -m 0644 "$ROOT/installer/veldwerk.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/veldwerk.svg"
cat > "$STAGE/usr/share/doc/veldwerk/copyright" <<COPYRIGHT
Veldwerk: casework at the kitchen table, offline first.
The bundled fonts (DejaVu) and icons carry their own licences: see
/opt/veldwerk/_internal/resources/fonts/LICENSE and /opt/veldwerk/_internal/resources/icons/LICENSE.
COPYRIGHT
SIZE_KB="$(du -s --apparent-size --block-size=1K "$STAGE/opt" "$STAGE/usr" | awk '{ s += $1 } END { print s }')"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: veldwerk
Version: $VERSION
Architecture: $ARCH
Maintainer: Veldwerk central office <beheer@veldwerk.invalid>
Section: misc
Priority: optional
Installed-Size: $SIZE_KB
Depends: $DEPENDS
Description: Veldwerk desktop client for field caseworkers
 Offline-first casework for the Work, Income and Care service of Het Hogeland:
 an encrypted local copy of one caseworker's caseload, visits, intakes and client
 plans printed on site, synchronised with the central office server.
CONTROL
DEB="$OUT/veldwerk_${VERSION}_${ARCH}.deb"
# xz at level 1: 15 s and 76 MB for the 200 MB bundle (level 6: 60 s and 69 MB).
dpkg-deb -Zxz -z1 --root-owner-group --build "$STAGE" "$DEB" >/dev/null
rm -rf "$STAGE"
echo "$DEB"
