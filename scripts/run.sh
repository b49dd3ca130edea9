#!/usr/bin/env bash
# Start the dashboard on the embedded default: a DuckDB file built from sample_data/ (no server to install).
#   bash scripts/run.sh                 # the default dataset (~20,000 customers, ~1,000,000 service logs)
#   SAMPLE=small bash scripts/run.sh    # the small committed sample (starts in seconds)
#   PORT=8502 bash scripts/run.sh
#   ADDRESS=0.0.0.0 bash scripts/run.sh  # listen beyond this machine (behind TLS: see the README)
# The first run generates the sample (a few seconds) and imports it into data/supervision.duckdb, and creates
# the first province administrator with a generated password, printed once; later runs reuse both.
# Delete data/ to rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
SAMPLE=${SAMPLE:-full}
DB=${SUPERVISION_DB:-data/supervision.duckdb}
if [ ! -f "$DB" ]; then
  if [ "$SAMPLE" = "small" ]; then
    src=sample_data/small
  else
    src=sample_data/full
    if [ ! -f "$src/work_orders.csv" ]; then  # (an older sample had no SPEC §12 files)
      echo "generating the default sample dataset into $src ..."
      .venv/bin/python sample_data/generate.py --out "$src"
    fi
  fi
  echo "importing $src into $DB ..."
  .venv/bin/python -m supervision import "$src" --db "$DB"
fi
if ! .venv/bin/python -m supervision users list --db "$DB" | grep -qw province; then
  echo
  echo "No users yet: creating the first province administrator, 'admin', with a generated password."
  .venv/bin/python -m supervision users add admin --role province --name 管理员 --db "$DB" --generate-password
  echo "Sign in as admin with that password. Add city, district and auditor users with"
  echo "  .venv/bin/python -m supervision users add NAME --role city --city 2101 --db $DB"
  echo
fi
export SUPERVISION_DB="$DB"
exec .venv/bin/streamlit run server.py --server.address "${ADDRESS:-127.0.0.1}" --server.port "${PORT:-8501}" \
  --server.headless true --browser.gatherUsageStats false
