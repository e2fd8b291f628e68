#!/usr/bin/env bash
# The whole test suite on a fresh machine: brings Node (^22.18 || ^24 || >=26) and pnpm if missing,
# installs the dependencies and the Redis servers (Stack 7.4, plain 7.0, Redis 8) into .deja/, builds, lints, typechecks, runs every
# test, then checks the packed packages in scratch apps (scripts/check-packages.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
ensure_toolchain
bash "$DEJA_ROOT/scripts/install-redis.sh"
# Redis 8 (vector sets, no Query Engine) apart: installing it never touches the two above.
bash "$DEJA_ROOT/scripts/install-redis8.sh"
cd "$DEJA_ROOT"
pnpm run check
# The packages as a user installs them: packed, linted, installed into scratch apps, used from ESM and CJS.
bash "$DEJA_ROOT/scripts/check-packages.sh"
