#!/usr/bin/env bash
# Debian/Ubuntu packages the cockpit and its tests need; installs only what is missing.
# As root (or with sudo) it installs them; otherwise it names them and goes on.
set -u
pkgs=(
  mosquitto            # the embedded broker's first choice and the test brokers
  mosquitto-clients
  fonts-noto-cjk       # Chinese on screen (Qt)
  fonts-wqy-zenhei     # Chinese in PDFs (reportlab needs TrueType outlines)
  poppler-utils        # pdftotext/pdffonts: the report tests read the PDFs back
  openssl              # test CA for the TLS tests
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0   # Qt's xcb platform (real screens, Xvfb)
  libwayland-cursor0 libwayland-egl1                 # Qt's wayland platform, which the bundle ships
  xvfb imagemagick x11-utils                         # screenshots of the running program
)
command -v dpkg-query >/dev/null || { echo "system-deps: not a Debian system; install the equivalents of: ${pkgs[*]}"; exit 0; }
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "system-deps: all present"; exit 0; }
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else
  echo "system-deps: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"; exit 0
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
