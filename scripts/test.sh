#!/usr/bin/env bash
# The whole test suite on a fresh machine: brings Node >= 22 and pnpm if missing, installs the
# dependencies and both Redis servers into .deja/, builds, lints, typechecks, runs every test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
ensure_toolchain
bash "$DEJA_ROOT/scripts/install-redis.sh"
cd "$DEJA_ROOT"
pnpm run check
