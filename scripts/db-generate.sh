#!/usr/bin/env bash
# Regenerates the migration folder from every schema.ts. Until the first release the hub ships ONE migration
# (drizzle/0000_init.sql), rebuilt from scratch, so parallel work on several modules never produces clashing
# migration numbers. After the first release, switch to plain `drizzle-kit generate` (incremental).
# Serialised with flock: several people (or agents) may run it at once.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/integration-hub-drizzle.lock
flock 9
rm -rf drizzle
scripts/with-node22.sh npx drizzle-kit generate --name init
