# What scripts/install-redis.sh and scripts/install-redis8.sh share: their flags, their messages and
# the stamp that makes a second run a no-op. Sourced; the caller sets INSTALLER (its name) first.

# --force / --verify / --help into FORCE and VERIFY; `$1`: the calling script (its header is the help).
parse_install_args() {
  local script="$1"
  shift
  FORCE=0
  VERIFY=0
  for arg in "$@"; do
    case "$arg" in
      --force) FORCE=1 ;;
      --verify) VERIFY=1 ;;
      -h|--help) sed -n '2,/^set -euo/p' "$script" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      *) echo "$INSTALLER: unknown argument: $arg" >&2; exit 2 ;;
    esac
  done
}

log() { echo "$INSTALLER: $*" >&2; }
die() { echo "$INSTALLER: ERROR: $*" >&2; exit 1; }

# Fast path (bash builtins only): the stamp's first line is `$3` (the spec) and every file on its
# other lines (binaries, modules, bundled libraries) still exists, at least `$4` lines in all.
# Usage: stamp_ok STAMP ENV_FILE SPEC MIN_LINES
stamp_ok() {
  local stamp="$1" env_file="$2" spec="$3" min_lines="$4"
  [[ -f "$stamp" && -f "$env_file" ]] || return 1
  local line n=0
  while IFS= read -r line; do
    if [[ $n -eq 0 ]]; then [[ "$line" == "$spec" ]] || return 1
    else [[ -e "$line" ]] || return 1
    fi
    n=$((n + 1))
  done <"$stamp"
  [[ $n -ge $min_lines ]]
}
