#!/usr/bin/env bash
# Create .venv and install the pinned requirements (idempotent; quiet when nothing changed).
# `bash scripts/setup.sh --spark` also installs requirements-spark.txt (pyspark, sqlglot).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$want" > "$stamp"
fi
# `--spark`: also what `report --engine spark` needs (SPEC §11; the test command installs it)
if [ "${1:-}" = "--spark" ]; then
  stamp=.venv/.requirements-spark.sha256
  want=$(sha256sum requirements-spark.txt | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install --quiet -r requirements-spark.txt
    echo "$want" > "$stamp"
  fi
fi
# byte-compile the package once: a `report` process then starts without compiling it (even where
# PYTHONDONTWRITEBYTECODE keeps Python from writing its cache)
.venv/bin/python -m compileall -q supervision >/dev/null
