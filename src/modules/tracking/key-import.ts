// Keys from a previous system, imported so that moving to the hub does not force every client to change its key.
// A CSV file with a header line; per row either `key` (the plain key, hashed here and never stored) or `sha256`
// (hex SHA-256 of the key, as this hub stores it) with `prefix` (its first 8 characters, for display); optional
// `name`, `scope` (read | write) and `rate_limit_per_minute`. Rows are independent: a bad row is reported by its
// line and the others go on; a key already stored is skipped, so the import can be run again.
import { readFile, stat } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { displayPrefix, hashApiKey, KEY_PATTERN, type KeyScope, type KeyService } from './keys.js';
import type { HubError } from '../../platform/http/errors.js';

export const MAX_KEY_FILE_BYTES = 10 * 1024 * 1024;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface KeyImportResult {
  imported: number;
  skipped: number;
  failed: number;
  errors: { line: number; error: string }[];
}

type Row = Record<string, string | undefined>;

/** Reads and parses the file (refusing one that is too big or has neither a `key` nor a `sha256` column). */
export async function readKeyFile(path: string): Promise<Row[]> {
  if ((await stat(path)).size > MAX_KEY_FILE_BYTES) throw new Error(`key file larger than ${MAX_KEY_FILE_BYTES / 1024 / 1024} MB`);
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true }) as Row[];
  const header = text.split(/\r?\n/, 1)[0]!.toLowerCase();
  if (!/\bkey\b|\bsha256\b/.test(header)) throw new Error('key file needs a header with a "key" column, or "sha256" and "prefix" columns');
  return rows;
}

/** One row's key as the hub stores it, or why it cannot be imported. */
function hashOf(row: Row): { hash: string; prefix: string } | string {
  if (row.key) {
    if (!KEY_PATTERN.test(row.key)) return 'key: expected tb_ followed by 16–128 characters of A–Z, a–z, 0–9, _ or -';
    return { hash: hashApiKey(row.key), prefix: displayPrefix(row.key) };
  }
  const hash = row.sha256?.toLowerCase();
  if (!hash) return 'neither key nor sha256 given';
  if (!SHA256_HEX.test(hash)) return 'sha256: expected 64 hexadecimal characters (SHA-256 of the key)';
  if (!row.prefix || !/^tb_[A-Za-z0-9_-]{1,5}$/.test(row.prefix)) return 'prefix: expected the key’s first 8 characters or fewer (tb_…)';
  return { hash, prefix: row.prefix };
}

export async function importKeys(keys: KeyService, botId: number, rows: readonly Row[]): Promise<KeyImportResult> {
  const result: KeyImportResult = { imported: 0, skipped: 0, failed: 0, errors: [] };
  for (const [i, row] of rows.entries()) {
    const line = i + 2; // the header is line 1
    const fail = (error: string) => {
      result.failed++;
      result.errors.push({ line, error });
    };
    const key = hashOf(row);
    if (typeof key === 'string') {
      fail(key);
      continue;
    }
    const scope = (row.scope || 'write') as KeyScope;
    if (scope !== 'read' && scope !== 'write') {
      fail('scope: read or write');
      continue;
    }
    const limit = row.rate_limit_per_minute ? Number(row.rate_limit_per_minute) : undefined;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1_000_000)) {
      fail('rate_limit_per_minute: a whole number 1 … 1000000');
      continue;
    }
    try {
      await keys.insertHashed(
        botId,
        key.hash,
        key.prefix,
        { name: (row.name ?? '').slice(0, 200), scope, ...(limit ? { rateLimitPerMinute: limit } : {}) },
        'imported',
      );
      result.imported++;
    } catch (err) {
      if ((err as HubError).code === 'KEY_EXISTS') result.skipped++;
      else throw err; // BOT_NOT_FOUND, the database: the whole import stops
    }
  }
  return result;
}
