// Applies the drizzle migration folder on start (and `hub migrate`). On PostgreSQL several hub processes may
// start at once, so migrations run under a session advisory lock on one dedicated connection.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database } from './database.js';

/**
 * The repository's drizzle/ folder, found by walking up from this module: it runs from src/platform/db/ (tests,
 * `npm run dev`) and bundled from dist/ (`npm start`, scripts/build.mjs), at different depths.
 */
export const MIGRATIONS_FOLDER = findUp(dirname(fileURLToPath(import.meta.url)), join('drizzle', 'meta', '_journal.json'));

function findUp(from: string, marker: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return join(dir, 'drizzle');
    if (dirname(dir) === dir) throw new Error(`no ${marker} above ${from}: the hub's migrations are missing`);
  }
}
const MIGRATION_LOCK = 7_411_001; // arbitrary, fixed: the advisory lock key for migrations

export async function applyMigrations(database: Database): Promise<void> {
  if (database.pglite) {
    await migratePglite(drizzlePglite({ client: database.pglite }), { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

/** Applied vs expected migrations, for /readyz. */
export async function migrationStatus(database: Database): Promise<{ applied: number; expected: number }> {
  const expected = expectedMigrationCount();
  try {
    const [row] = await database.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    return { applied: row?.n ?? 0, expected };
  } catch {
    return { applied: 0, expected };
  }
}
