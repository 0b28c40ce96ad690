#!/bin/sh
# The README's test command. Installs what the tests need beyond Swift, then runs every test:
#   - Debian packages (when apt-get is there and we are root, or sudo works without a password):
#     listed in Tools/test-packages.txt (Neovim and Emacs with eglot as real LSP clients, the system SQLite,
#     Python's venv);
#   - a Python virtual environment in .venv with Tools/test-requirements.txt (pandas for the CSV round-trip),
#     found by the tests through ECCOE_PYTHON.
# Extra arguments go to `swift test` (for example: sh Tools/test.sh --filter CriteriaTests).
set -eu
cd "$(dirname "$0")/.."

packages=$(grep -v '^#' Tools/test-packages.txt | tr '\n' ' ')
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Tools/test.sh: install these packages (the tests need them):$missing" >&2
    else
        sudo=""
        if [ "$(id -u)" != 0 ]; then
            if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
            else echo "Tools/test.sh: run as root, or install:$missing" >&2; fi
        fi
        if [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; then
            echo "== installing:$missing"
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
            # shellcheck disable=SC2086
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
        fi
    fi
fi

stamp=.venv/.eccoe-requirements
if [ ! -x .venv/bin/python ] || ! cmp -s Tools/test-requirements.txt "$stamp"; then
    echo "== Python virtual environment (.venv) with Tools/test-requirements.txt"
    python3 -m venv .venv
    .venv/bin/pip install -q -r Tools/test-requirements.txt
    cp Tools/test-requirements.txt "$stamp"
fi
ECCOE_PYTHON="$PWD/.venv/bin/python"
export ECCOE_PYTHON

echo "== swift test"
exec swift test "$@"
