#!/usr/bin/env bash
# Build the Linux one-folder bundle in dist/hazwork-cockpit/ and print its size.
#   installer/build.sh           build
#   installer/build.sh --check   build, then run the bundle's --self-test
# Needs PyInstaller in the project's virtualenv (pip install -e ".[dist]").
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
"$PY" -m PyInstaller --version >/dev/null 2>&1 || {
  echo "PyInstaller is not installed: $PY -m pip install -e '.[dist]'"; exit 2; }
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN installer/cockpit.spec
bundle=dist/hazwork-cockpit
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1), $(find "$bundle" -type f | wc -l) files) built in $(( $(date +%s) - start )) s"
if [ "${1:-}" = "--check" ]; then
  "$bundle/hazwork-cockpit" --self-test
fi
