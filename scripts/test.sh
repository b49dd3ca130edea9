#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: Python packages, Debian's Chromium and CJK fonts for the
# browser tests, then pytest (unit, import, property, AppTest and Playwright browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "the browser tests need Debian's chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk" >&2
    exit 1
  fi
fi
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider "$@"
