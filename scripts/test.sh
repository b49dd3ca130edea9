#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: Python packages, Debian's Chromium and CJK fonts for the
# browser tests, then pytest (unit, import, property, AppTest and Playwright browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --spark
# Debian packages the tests need: Chromium and CJK fonts (browser tests, the briefs' PDF), LibreOffice Calc
# (workbooks written by an office suite, tests/test_workbooks.py), poppler-utils (the briefs' PDF read back),
# Java 17 (Spark, tests/test_spark.py)
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk" || ! command -v soffice >/dev/null \
  || ! command -v pdftotext >/dev/null || ! command -v java >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk libreoffice-calc-nogui \
      poppler-utils openjdk-17-jre-headless >/dev/null
  else
    echo "the tests need Debian's chromium, fonts-noto-cjk, libreoffice-calc-nogui, poppler-utils and" \
      "openjdk-17-jre-headless: sudo apt-get install chromium fonts-noto-cjk libreoffice-calc-nogui" \
      "poppler-utils openjdk-17-jre-headless" >&2
    exit 1
  fi
fi
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider "$@"
