#!/usr/bin/env bash
# The main job on a fresh machine: brings Node >= 22 and pnpm if missing, installs, builds, and
# runs `deja demo` offline on the embedded memory store (DEJA_REDIS_URL=redis://... to use Redis).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
ensure_toolchain
cd "$DEJA_ROOT"
pnpm exec turbo run build --filter=@deja/cli... --output-logs=errors-only >&2
node packages/cli/dist/bin.js demo "$@"
