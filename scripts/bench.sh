#!/usr/bin/env bash
# The deja benchmark (bench/), not part of the test suite: brings Node and pnpm if missing, the
# Redis servers (scripts/install-redis.sh, scripts/install-redis8.sh), builds the workspace, makes or reuses the bench's Python
# venv with RedisVL (.deja/bench/venv, from bench/requirements.txt; under .deja/ so neither git nor
# Biome ever walks it), then runs bench/run.ts, which
# starts its own Redis Stack, plain Redis and Redis 8, prints a table and writes bench/results/latest.{json,md}.
#
# Usage: ./scripts/bench.sh [section ...]   sections: exact semantic embeddings fallback hnsw cluster quality middleware middleware-floor miss verified
#        DEJA_BENCH_QUICK=1 ./scripts/bench.sh  small sizes and few samples (checks the bench, ~1 min)
# A full run takes about 25 minutes on 2 cores (1,489 s on 2026-12-01); a partial or quick run writes results/partial.*.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
ensure_toolchain
bash "$DEJA_ROOT/scripts/install-redis.sh"
bash "$DEJA_ROOT/scripts/install-redis8.sh"
cd "$DEJA_ROOT"
pnpm run build

VENV="$DEJA_ROOT/.deja/bench/venv"
REQUIREMENTS="$DEJA_ROOT/bench/requirements.txt"
STAMP="$VENV/.requirements.sha256"
wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]; then
  PYTHON="${PYTHON:-python3}"
  command -v "$PYTHON" >/dev/null || { echo "bench: need python3 (>= 3.10) for RedisVL" >&2; exit 1; }
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    { echo "bench: RedisVL needs Python >= 3.10, $("$PYTHON" --version) found" >&2; exit 1; }
  echo "bench: creating .deja/bench/venv with RedisVL" >&2
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$wanted" >"$STAMP"
fi

exec node bench/run.ts "$@"
