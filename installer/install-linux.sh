#!/bin/sh
# Install the cockpit bundle this script sits in (dist/hazwork-cockpit/) for every user of this PC:
#   the program in /opt/hazwork-cockpit, a menu entry, the icon, and `hazwork-cockpit` on the PATH.
#   sudo ./install-linux.sh              install or upgrade (user data and settings are kept)
#   sudo ./install-linux.sh --uninstall  remove the program (user data and settings are kept)
# PREFIX=/somewhere installs the program elsewhere; DESTDIR=/stage puts every file under a staging root
# (for packaging, and for the tests).
set -eu
PREFIX=${PREFIX:-/opt/hazwork-cockpit}
DESTDIR=${DESTDIR:-}
APPS=$DESTDIR/usr/share/applications
ICONS=$DESTDIR/usr/share/icons/hicolor
BIN=$DESTDIR/usr/local/bin
HERE=$(cd "$(dirname "$0")" && pwd)

refresh() {
  [ -z "$DESTDIR" ] || return 0
  if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$APPS" || true; fi
  if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t "$ICONS" || true; fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$DESTDIR$PREFIX"
  rm -f "$APPS/hazwork-cockpit.desktop" "$BIN/hazwork-cockpit" \
        "$ICONS/256x256/apps/hazwork-cockpit.png" "$ICONS/scalable/apps/hazwork-cockpit.svg"
  refresh
  echo "removed $PREFIX; each user's data and settings (~/.local/share/hazwork-cockpit, ~/.config/hazwork-cockpit) are kept"
  exit 0
fi

[ -x "$HERE/hazwork-cockpit" ] || { echo "run this script from the built bundle (dist/hazwork-cockpit/)"; exit 2; }
[ -n "$DESTDIR" ] || [ "$(id -u)" = 0 ] || { echo "run as root: sudo $0"; exit 2; }
TARGET=$DESTDIR$PREFIX
if [ "$HERE" != "$TARGET" ]; then
  mkdir -p "$(dirname "$TARGET")"
  rm -rf "$TARGET.new"
  cp -a "$HERE" "$TARGET.new"
  rm -rf "$TARGET"
  mv "$TARGET.new" "$TARGET"
fi
install -D -m 644 "$HERE/_internal/resources/icons/cockpit.png" "$ICONS/256x256/apps/hazwork-cockpit.png"
install -D -m 644 "$HERE/_internal/resources/icons/cockpit.svg" "$ICONS/scalable/apps/hazwork-cockpit.svg"
mkdir -p "$APPS" "$BIN"
sed "s|/opt/hazwork-cockpit|$PREFIX|g" "$HERE/hazwork-cockpit.desktop" > "$APPS/hazwork-cockpit.desktop"
chmod 644 "$APPS/hazwork-cockpit.desktop"
ln -sf "$PREFIX/hazwork-cockpit" "$BIN/hazwork-cockpit"
refresh
echo "installed in $PREFIX; check it with: hazwork-cockpit --self-test"
