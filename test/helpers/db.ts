// Fresh databases for tests, fast. Migrations and pg-boss's schema are applied once per test run into a
// template: a PGlite data dump (loaded into an in-memory PGlite per test) or a PostgreSQL template database
// (copied with CREATE DATABASE … TEMPLATE per test). HUB_TEST_DB=postgres with TEST_DATABASE_URL selects
// PostgreSQL; the default is PGlite.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PgBoss, fromPglite } from 'pg-boss';
import { openDatabase, type Database } from '../../src/platform/db/database.js';
import { applyMigrations, MIGRATIONS_FOLDER } from '../../src/platform/db/migrate.js';

export type TestBackend = 'pglite' | 'postgres';

export function testBackend(): TestBackend {
  return process.env.HUB_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

function templateHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(f).update(readFileSync(p));
    }
  };
  walk(MIGRATIONS_FOLDER);
  // How the image is made (bump when pgliteTemplate changes: v2 = uncompressed, without template databases).
  h.update('image v2');
  h.update(JSON.parse(readFileSync(new URL('../../node_modules/pg-boss/package.json', import.meta.url), 'utf8')).version);
  return h.digest('hex').slice(0, 12);
}

async function installBoss(boss: PgBoss): Promise<void> {
  boss.on('error', () => undefined);
  await boss.start();
  await boss.stop({ graceful: false, close: true });
}

let pgliteImage: Blob | undefined;

async function pgliteTemplate(): Promise<Blob> {
  if (pgliteImage) return pgliteImage;
  // Uncompressed: every test hub loads it, and gunzipping 40 MB cost each one ~350 ms of CPU (2-core CI: minutes).
  const file = join(tmpdir(), `hub-test-template-${templateHash()}.tar`);
  if (!existsSync(file)) {
    const database = await openDatabase({});
    await applyMigrations(database);
    await installBoss(new PgBoss({ db: fromPglite(database.pglite!), backend: 'pglite', schedule: false, supervise: false } as never));
    // The hub never uses PostgreSQL's template databases; without them every test loads 15 MB less.
    await database.query(`update pg_database set datistemplate = false where datname in ('template0', 'template1')`);
    await database.query('drop database template0');
    await database.query('drop database template1');
    await database.query('checkpoint');
    const dump = await database.pglite!.dumpDataDir('none');
    await database.close();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file); // atomic: parallel test files never read a half-written image
  }
  pgliteImage = new Blob([readFileSync(file)]);
  return pgliteImage;
}

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('HUB_TEST_DB=postgres needs TEST_DATABASE_URL');
  return url;
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function pgTemplate(): Promise<string> {
  const name = `hub_tpl_${templateHash()}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(74110)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${name}`);
      const database = await openDatabase({ databaseUrl: withDb(adminUrl(), name), poolSize: 2 });
      try {
        await applyMigrations(database);
        await installBoss(new PgBoss({ connectionString: withDb(adminUrl(), name), schedule: false, supervise: false, max: 2 }));
      } finally {
        await database.close();
      }
    }
  } finally {
    await admin.query('select pg_advisory_unlock(74110)').catch(() => undefined);
    await admin.end();
  }
  return name;
}

export interface FreshDatabase {
  /** PGlite: the opened database to hand to the hub. PostgreSQL: undefined (the hub opens databaseUrl). */
  readonly database?: Database;
  readonly databaseUrl?: string;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<FreshDatabase> {
  if (testBackend() === 'pglite') {
    const database = await openDatabase({ loadDataDir: await pgliteTemplate() });
    return { database, drop: () => database.close() };
  }
  const template = await pgTemplate();
  const name = `hub_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`);
        break;
      } catch (err) {
        // Another test file may be creating from the same template this very moment.
        if (attempt > 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    databaseUrl: withDb(adminUrl(), name),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await c.end();
    },
  };
}

/** A database with nothing in it (no migrations), for migration tests. */
export async function emptyDatabase(): Promise<FreshDatabase & { open(): Promise<Database> }> {
  if (testBackend() === 'pglite') {
    const database = await openDatabase({});
    return { database, open: async () => database, drop: () => database.close() };
  }
  const name = `hub_e_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDb(adminUrl(), name);
  const opened: Database[] = [];
  return {
    databaseUrl: url,
    async open() {
      const d = await openDatabase({ databaseUrl: url, poolSize: 2 });
      opened.push(d);
      return d;
    },
    async drop() {
      for (const d of opened) await d.close();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await c.end();
    },
  };
}
