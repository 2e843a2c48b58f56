// Seed 003 as the test oracle: response bodies are validated against the seed's own YAML schemas with Ajv, and
// the module's OpenAPI document is compared with the seed's paths, operationIds and status codes.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv, type ValidateFunction } from 'ajv';

// A copy of the seed (shared/seeds/003_quiz_openapi.yaml) kept in the repo, so tests run from any clone.
export const SEED_PATH = new URL('./fixtures/003_quiz_openapi.yaml', import.meta.url).pathname;

type Json = Record<string, unknown>;
export interface SeedDoc {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, Json> }>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
}

let cached: SeedDoc | undefined;
export function seed(): SeedDoc {
  cached ??= parse(readFileSync(SEED_PATH, 'utf8')) as SeedDoc;
  return cached;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
let registered = false;
const validators = new Map<string, ValidateFunction>();

/** The seed's JSON schema of one response (path as in the seed, e.g. "/rules/{quizID}"). */
function responseSchema(path: string, method: string, status: number): Json | undefined {
  const op = seed().paths[path]?.[method];
  if (!op) throw new Error(`seed has no ${method.toUpperCase()} ${path}`);
  let res = op.responses[String(status)];
  if (!res) return undefined;
  const ref = res.$ref as string | undefined;
  if (ref) res = seed().components.responses[ref.split('/').pop()!]!;
  const content = res.content as Record<string, { schema: Json }> | undefined;
  return content?.['application/json']?.schema;
}

/**
 * Validates a parsed body against the seed's schema for that response. Throws when the seed declares no such
 * status (an undeclared status is a contract bug) unless `ours` is set (a status we added and document).
 */
export function assertSeedResponse(path: string, method: string, status: number, body: unknown, opts: { ours?: boolean } = {}): void {
  if (!registered) {
    ajv.addSchema({ $id: 'seed', components: seed().components } as never);
    registered = true;
  }
  const schema = responseSchema(path, method, status);
  if (!schema) {
    if (opts.ours) return;
    throw new Error(`seed declares no ${status} for ${method.toUpperCase()} ${path}`);
  }
  const key = `${method} ${path} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    // Local refs (#/components/…) point into the registered seed document.
    const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"seed#/components/')) as Json;
    validate = ajv.compile(rebased);
    validators.set(key, validate);
  }
  if (!validate(body))
    throw new Error(`${key}: body does not match the seed: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
}

/** Validates against a named component schema of the seed (e.g. "Rule"). */
export function assertSeedSchema(name: string, body: unknown): void {
  if (!registered) {
    ajv.addSchema({ $id: 'seed', components: seed().components } as never);
    registered = true;
  }
  const validate = ajv.getSchema(`seed#/components/schemas/${name}`);
  if (!validate) throw new Error(`no seed schema ${name}`);
  if (!validate(body)) throw new Error(`${name}: ${ajv.errorsText(validate.errors)}`);
}
