// Every test hub, when it closes, scans what it logged and everything in its database (every table of every
// schema, pg-boss's jobs included) for secrets: the values of settings marked secret, the admin token, and
// anything shaped like a credential the hub hands out or receives (tracking API keys, webhook signing secrets,
// amoCRM access and refresh tokens, bearer JWTs). A secret must only ever be stored hashed or sealed.
import type { Database } from '../../src/platform/db/database.js';
import { SETTINGS, type SettingGroup } from '../../src/config.js';

const SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
  ['tracking API key', /\btb_[A-Za-z0-9_-]{32}\b/],
  ['webhook signing secret', /whsec_[A-Za-z0-9+/]{20,}/],
  ['amoCRM refresh token', /def50200[0-9a-f]{64,}/],
  ['JWT (amoCRM access token or bearer token)', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/],
];

/** The secret values of a test hub's settings (only values long enough to be unmistakable). */
export function secretValues(env: Record<string, string | undefined>, groups: readonly SettingGroup[]): string[] {
  const declared = [...SETTINGS, ...groups.flatMap((g) => Object.values(g.settings))].filter((s) => 'secret' in s && s.secret);
  return declared
    .map((s) => env[s.env])
    .filter((v): v is string => typeof v === 'string' && v.length >= 12)
    .filter((v) => !/^[a-z]+:\/\//.test(v) || /\/\/[^/@]*:[^/@]*@/.test(v)); // a URL is a secret only with a password
}

export function findSecrets(text: string, known: readonly string[]): string[] {
  const found: string[] = [];
  for (const value of known) if (text.includes(value)) found.push(`a secret setting value (${value.slice(0, 4)}…)`);
  for (const [what, shape] of SHAPES) {
    const m = shape.exec(text);
    if (m) found.push(`${what} (${m[0].slice(0, 10)}…, near "${text.slice(Math.max(0, m.index - 60), m.index).replace(/\s+/g, ' ')}")`);
  }
  return found;
}

/** Every row of every table as text, per table. */
export async function dumpDatabase(database: Database): Promise<Array<{ table: string; text: string }>> {
  const tables = await database.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
  );
  const out: Array<{ table: string; text: string }> = [];
  for (const { schema, name } of tables) {
    const table = `"${schema}"."${name}"`;
    const [row] = await database.query<{ text: string | null }>(`select string_agg(t::text, E'\\n') as text from ${table} t`);
    if (row?.text) out.push({ table, text: row.text });
  }
  return out;
}

/** Problems found in a hub's logs and database; empty when nothing leaked. */
export async function scanHub(opts: { logs: readonly object[]; database: Database; known: readonly string[] }): Promise<string[]> {
  const problems = findSecrets(opts.logs.map((l) => JSON.stringify(l)).join('\n'), opts.known).map((p) => `logs: ${p}`);
  for (const { table, text } of await dumpDatabase(opts.database)) {
    problems.push(...findSecrets(text, opts.known).map((p) => `table ${table}: ${p}`));
  }
  return problems;
}
