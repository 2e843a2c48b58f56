// What every connector and module must satisfy (in spirit like Nango's provider validation): unique names and
// prefixes; settings, queues and tables carry the part's prefix; its folder and docs exist; every operation in the
// OpenAPI document has an operationId and declares its error responses. Returns problems instead of asserting,
// so a test can also show that a deliberately broken module is caught.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { SETTINGS } from '../../src/config.js';
import { CENTRAL_STATUSES } from '../../src/platform/http/error-responses.js';
import { prefixesOf, type AnyModule, type StartedModule } from '../../src/platform/module.js';

const root = new URL('../..', import.meta.url).pathname;

interface OpenApiDoc {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, { description?: string }> }>>;
}

export const envPrefixOf = (def: AnyModule): string => def.envPrefix ?? def.name.toUpperCase().replaceAll('-', '_');
export const tablePrefixOf = (def: AnyModule): string => envPrefixOf(def).toLowerCase();
const folderOf = (def: AnyModule) => join(root, 'src', def.kind === 'connector' ? 'connectors' : 'modules', def.name);

/** Names, prefixes, folders, docs, settings and queues of the started parts. */
export function checkParts(parts: readonly StartedModule[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const prefixes = new Set<string>();
  const envs = new Set<string>(SETTINGS.map((s) => s.env));
  for (const { definition: def, instance } of parts) {
    const who = `${def.kind} ${def.name}`;
    if (!/^[a-z][a-z0-9-]*$/.test(def.name)) problems.push(`${who}: the name must be lower-case letters, digits and dashes`);
    if (names.has(def.name)) problems.push(`${who}: the name is used twice`);
    names.add(def.name);
    for (const prefix of prefixesOf(def)) {
      if (!prefix.startsWith('/') || prefix.endsWith('/')) problems.push(`${who}: prefix "${prefix}" must start and not end with /`);
      if (prefixes.has(prefix)) problems.push(`${who}: prefix ${prefix} is used twice`);
      prefixes.add(prefix);
    }
    if (!existsSync(join(folderOf(def), 'index.ts'))) problems.push(`${who}: no ${folderOf(def).slice(root.length)}/index.ts`);
    const docs = def.docs ?? (def.kind === 'module' ? `docs/modules/${def.name}.md` : `docs/${def.name}.md`);
    if (!existsSync(join(root, docs))) problems.push(`${who}: its documentation ${docs} does not exist`);
    const envPrefix = `${envPrefixOf(def)}_`;
    for (const s of Object.values(def.settings ?? {}) as Array<{ env: string }>) {
      if (!s.env.startsWith(envPrefix)) problems.push(`${who}: setting ${s.env} must start with ${envPrefix}`);
      if (envs.has(s.env)) problems.push(`${who}: setting ${s.env} is declared twice`);
      envs.add(s.env);
    }
    for (const q of instance.queues ?? []) {
      if (!q.name.startsWith(`${def.name}.`)) problems.push(`${who}: queue ${q.name} must start with ${def.name}.`);
    }
  }
  return problems;
}

/** Every table a part declares in its schema.ts carries the part's table prefix. */
export function checkTables(def: AnyModule, schema: Record<string, unknown>): string[] {
  const prefix = `${tablePrefixOf(def)}_`;
  return Object.values(schema)
    .filter((x): x is PgTable => is(x, PgTable))
    .map((t) => getTableName(t))
    .filter((name) => !name.startsWith(prefix))
    .map((name) => `${def.kind} ${def.name}: table ${name} must start with ${prefix}`);
}

export async function schemaOf(def: AnyModule): Promise<Record<string, unknown> | undefined> {
  const file = join(folderOf(def), 'schema.ts');
  return existsSync(file) ? ((await import(file)) as Record<string, unknown>) : undefined;
}

/** Added to every operation when the document is generated (error-responses.ts); they do not count as the route's own. */
const central = (code: string, response: { description?: string } | undefined) =>
  response?.description === (CENTRAL_STATUSES as Record<string, string>)[code];

/** Every operation has a unique operationId and declares at least one error status of its own. */
export function checkOperations(doc: OpenApiDoc): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.operationId) problems.push(`${where}: no operationId`);
      else if (seen.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} is also ${seen.get(op.operationId)}`);
      else seen.set(op.operationId, where);
      const own = Object.entries(op.responses ?? {}).filter(([code, r]) => Number(code) >= 400 && !central(code, r));
      if (own.length === 0) problems.push(`${where}: declares no error response`);
    }
  }
  return problems;
}
