#!/usr/bin/env bash
# Installs Redis 8 (vector sets: VADD / VSIM; no Query Engine) into <repo>/.deja/redis8/ for the
# test harness and the bench, without touching the system:
#
#  Debian 13 (trixie) ships redis-server / redis-tools 8.0.x, built against trixie's glibc and
#  libstdc++ (newer than this machine's Debian 12). Its .debs and those of the libraries it needs
#  are downloaded with a private apt setup (own sources, lists, cache and status: the system's apt
#  state is left alone), unpacked with `dpkg -x`, and the server is started through trixie's own
#  dynamic loader with trixie's libraries:
#    <ld.so> --library-path <libs> --argv0 redis-server <redis8>/usr/bin/redis-check-rdb ...
#  (Debian's redis-server is a symlink to redis-check-rdb, which picks its mode from argv[0].)
#
# Then writes .deja/redis8.env (KEY=VALUE lines, unquoted; parse, do not source):
#   REDIS8_SERVER  the loader to execute
#   REDIS8_ARGS    the loader's arguments before the server's own (space-separated, no spaces in paths)
#   REDIS8_LD_LIBRARY_PATH  empty (the loader is given the library path)
#   REDIS8_CLI, REDIS8_CLI_ARGS  the same for redis-cli
#
# Kept apart from scripts/install-redis.sh (own directory, stamp and env file) so installing it
# never reinstalls the Stack and plain servers that running tests use.
# Idempotent: a second run compares a stamp and exits. Fails loudly when anything is missing.
# Usage: scripts/install-redis8.sh [--force] [--verify]
#   --verify  start the server on a free loopback port and check VADD / VSIM (and no FT._LIST)
# Env override: DEBIAN_MIRROR (default http://deb.debian.org/debian)
set -euo pipefail

# Bump when what gets installed changes: forces a re-install.
SPEC="v1 debian-trixie-redis-8"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

INSTALLER=install-redis8
# shellcheck source=lib/install-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/install-common.sh"
parse_install_args "${BASH_SOURCE[0]}" "$@"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
mkdir -p "$ROOT/.deja"
# .deja may be a symlink (a git worktree shares the main tree's): name files by their real path.
DEJA="$(cd "$ROOT/.deja" && pwd -P)"
ENV_FILE="$DEJA/redis8.env"
STAMP="$DEJA/.install-redis8.stamp"
DIR="$DEJA/redis8"


installed_ok() { stamp_ok "$STAMP" "$ENV_FILE" "$SPEC" 4; }

if [[ $FORCE -eq 0 && $VERIFY -eq 0 ]] && installed_ok; then exit 0; fi

case "$DEJA" in *[[:space:]]*) die "path '$DEJA' contains whitespace; redis8.env values must be space-free" ;; esac
command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 \
  || die "apt-get and dpkg are needed (Debian-like system); or point DEJA_TEST_REDIS8_URL at your own Redis 8"
ARCH="$(dpkg --print-architecture)"
[[ "$ARCH" == amd64 ]] || die "only amd64 is supported (the loader path is x86-64), not $ARCH"

# Serialise concurrent runs (parallel test workers, two worktrees sharing .deja).
exec 9>"$DEJA/.install-redis8.lock"
flock 9
if [[ $FORCE -eq 0 && $VERIFY -eq 0 ]] && installed_ok; then exit 0; fi

TMP="$(mktemp -d "$DEJA/.tmp-install-redis8.XXXXXX")"
VERIFY_PID=""
cleanup() {
  [[ -n "$VERIFY_PID" ]] && kill "$VERIFY_PID" 2>/dev/null && wait "$VERIFY_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

# A private apt setup: nothing of the system's apt configuration, lists or status is read or written
# (except its proxy and clock-check settings, so downloads work where the system's do).
APT_DIR="$TMP/apt"
mkdir -p "$APT_DIR/parts" "$APT_DIR/prefparts" "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" \
  "$APT_DIR/log" "$APT_DIR/sourceparts"
: >"$APT_DIR/status"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -r "$KEYRING" ]] || die "$KEYRING is missing (apt-get install debian-archive-keyring): trixie's lists cannot be verified"
{
  echo "deb [signed-by=$KEYRING] $DEBIAN_MIRROR trixie main"
  echo "deb [signed-by=$KEYRING] $DEBIAN_MIRROR trixie-updates main"
  echo "deb [signed-by=$KEYRING] $DEBIAN_SECURITY_MIRROR trixie-security main"
} >"$APT_DIR/sources.list"
VU="" CD="" HP="" HSP=""
eval "$(apt-config shell VU Acquire::Check-Valid-Until CD Acquire::Check-Date HP Acquire::http::Proxy HSP Acquire::https::Proxy 2>/dev/null || true)"
{
  echo "Dir::Etc::Main \"$APT_DIR/none.conf\";"
  echo "Dir::Etc::Parts \"$APT_DIR/parts\";"
  echo "Dir::Etc::SourceList \"$APT_DIR/sources.list\";"
  echo "Dir::Etc::SourceParts \"$APT_DIR/sourceparts\";"
  echo "Dir::Etc::Preferences \"$APT_DIR/none.pref\";"
  echo "Dir::Etc::PreferencesParts \"$APT_DIR/prefparts\";"
  echo "Dir::State::Lists \"$APT_DIR/lists\";"
  echo "Dir::State::Status \"$APT_DIR/status\";"
  echo "Dir::State::extended_states \"$APT_DIR/extended_states\";"
  echo "Dir::Cache \"$APT_DIR/cache\";"
  echo "Dir::Log \"$APT_DIR/log\";"
  echo "Acquire::Languages \"none\";"
  echo "APT::Architectures { \"$ARCH\"; };"
  [[ $EUID -eq 0 ]] && echo "APT::Sandbox::User \"root\";"
  [[ -n "$VU" ]] && echo "Acquire::Check-Valid-Until \"$VU\";"
  [[ -n "$CD" ]] && echo "Acquire::Check-Date \"$CD\";"
  [[ -n "$HP" ]] && echo "Acquire::http::Proxy \"$HP\";"
  [[ -n "$HSP" ]] && echo "Acquire::https::Proxy \"$HSP\";"
  :
} >"$APT_DIR/apt.conf"
papt() { APT_CONFIG="$APT_DIR/apt.conf" "$@"; }

install_redis8() {
  log "private apt-get update (Debian 13 trixie; system apt untouched)"
  papt apt-get -qq update >"$TMP/apt-update.log" 2>&1 \
    || { cat "$TMP/apt-update.log" >&2; die "private apt-get update (trixie) failed: check access to $DEBIAN_MIRROR"; }
  local candidate
  candidate="$(papt apt-cache policy redis-tools 2>/dev/null | awk '/Candidate:/ {print $2; exit}')"
  # apt-get update exits 0 when a mirror cannot be reached: an empty candidate says so here.
  [[ "$candidate" =~ ^([0-9]+:)?8\. ]] \
    || { cat "$TMP/apt-update.log" >&2; die "trixie offers redis-tools '${candidate:-none}', expected 8.x (apt's output above: is $DEBIAN_MIRROR reachable?)"; }
  # redis-tools holds the binaries (redis-server's is a symlink into it) and names the libraries
  # they link, down to libc6: this machine's own are older than trixie's, so none of them is used
  # (the loader is given only the unpacked ones). redis-server's other dependencies (adduser, its
  # service scripts) are not needed to run a server by hand.
  local packages
  packages="redis-server $(papt apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances redis-tools 2>/dev/null \
    | awk '/^[a-z0-9]/ {print $1}' | sort -u \
    | grep -E '^(redis-tools|zlib1g|lib[a-z0-9.+-]*)$' || true)"
  [[ -n "$packages" ]] || die "apt-cache depends found nothing to download"
  local dl="$TMP/debs"
  mkdir -p "$dl"
  log "downloading redis $candidate and its libraries: $(echo $packages)"
  # shellcheck disable=SC2086
  (cd "$dl" && papt apt-get -qq download $packages >"$TMP/apt-download.log" 2>&1) \
    || { cat "$TMP/apt-download.log" >&2; die "apt-get download failed"; }
  rm -rf "$DIR.new"
  mkdir -p "$DIR.new"
  local deb
  for deb in "$dl"/*.deb; do dpkg -x "$deb" "$DIR.new"; done
  rm -rf "$DIR"
  mv "$DIR.new" "$DIR"
}

# The loader and the library directories inside the unpacked tree.
locate() {
  LOADER="$(find "$DIR" -name 'ld-linux-x86-64.so.2' \( -type f -o -type l \) | sort | head -n1)"
  [[ -n "$LOADER" && -e "$LOADER" ]] || die "no ld-linux-x86-64.so.2 in $DIR (libc6 not unpacked?)"
  LIBS="$DIR/usr/lib/x86_64-linux-gnu"
  BINARY="$DIR/usr/bin/redis-check-rdb"
  CLI="$DIR/usr/bin/redis-cli"
  [[ -x "$BINARY" && -x "$CLI" ]] || die "redis binaries not found in $DIR/usr/bin"
  # Every library must resolve inside the unpacked tree (one from this machine would be too old).
  local binary listing outside
  for binary in "$BINARY" "$CLI"; do
    listing="$("$LOADER" --library-path "$LIBS" --list "$binary" 2>&1)" \
      || die "the loader cannot list $binary's libraries: $listing"
    outside="$(awk '/=>/ && $3 !~ "^'"$DIR"'/" {print $1}' <<<"$listing" | paste -sd' ' -)"
    [[ -z "$outside" ]] || die "$binary needs libraries not unpacked into $DIR: $outside"
  done
}

run_server_binary() { "$LOADER" --library-path "$LIBS" --argv0 redis-server "$BINARY" "$@"; }
run_cli() { "$LOADER" --library-path "$LIBS" --argv0 redis-cli "$CLI" "$@"; }

verify() {
  local port version out
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  version="$(run_server_binary --version)" || die "the server does not run through trixie's loader"
  log "$version"
  [[ "$version" =~ v=8\. ]] || die "not Redis 8: $version"
  run_server_binary --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$TMP" --logfile "$TMP/redis8.log" &
  VERIFY_PID=$!
  local _
  for _ in $(seq 1 100); do
    [[ "$(run_cli -p "$port" PING 2>/dev/null)" == PONG ]] && break
    sleep 0.1
  done
  [[ "$(run_cli -p "$port" PING 2>/dev/null)" == PONG ]] || { cat "$TMP/redis8.log" >&2; die "Redis 8 did not start"; }
  out="$(run_cli -p "$port" VADD verify:set VALUES 2 1 0 a NOQUANT)"
  [[ "$out" == 1 ]] || die "VADD failed: $out"
  out="$(run_cli -p "$port" VSIM verify:set VALUES 2 1 0 WITHSCORES COUNT 1 | paste -sd' ' -)"
  [[ "$out" == "a 1"* ]] || die "VSIM answered '$out'"
  out="$(run_cli -p "$port" FT._LIST 2>&1 || true)"
  [[ "$out" == *"unknown command"* ]] || die "FT._LIST did not fail: this Redis 8 has the Query Engine"
  run_cli -p "$port" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  wait "$VERIFY_PID" 2>/dev/null || true
  VERIFY_PID=""
  log "verify: OK (VADD/VSIM answer, no Query Engine)"
}

if [[ $FORCE -eq 1 ]] || ! installed_ok; then
  rm -f "$STAMP"
  install_redis8
  locate
  verify
  {
    echo "REDIS8_SERVER=$LOADER"
    echo "REDIS8_ARGS=--library-path $LIBS --argv0 redis-server $BINARY"
    echo "REDIS8_LD_LIBRARY_PATH="
    echo "REDIS8_CLI=$LOADER"
    echo "REDIS8_CLI_ARGS=--library-path $LIBS --argv0 redis-cli $CLI"
  } >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
  { echo "$SPEC"; printf '%s\n' "$LOADER" "$BINARY" "$CLI"; } >"$STAMP.tmp"
  mv -f "$STAMP.tmp" "$STAMP"
  log "wrote $ENV_FILE"
elif [[ $VERIFY -eq 1 ]]; then
  locate
  verify
fi
