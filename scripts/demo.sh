#!/usr/bin/env bash
# The main job on a fresh machine: brings Node and pnpm if missing, installs, builds, and runs
# `deja demo` offline on the embedded memory store (DEJA_REDIS_URL=redis://... to use Redis).
# Nothing is printed before the demo but the demo: the build's output (turbo's banner included)
# is kept in a log and shown only when the build fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
ensure_toolchain
cd "$DEJA_ROOT"
mkdir -p .deja
build_log=.deja/demo-build.log
if ! pnpm exec turbo run build --filter=@deja/cli... --output-logs=errors-only >"$build_log" 2>&1; then
  cat "$build_log" >&2
  echo "demo.sh: the build failed (log above, also in $build_log)" >&2
  exit 1
fi
exec node packages/cli/dist/bin.js demo "$@"
