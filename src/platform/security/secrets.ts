// Secrets at rest (OAuth tokens, partner passwords): AES-256-GCM with HUB_SECRET_KEY. Each value is bound to
// a context string (table and row) as associated data, so a ciphertext copied onto another row fails to open.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, createHash, hash, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'v1';

export class SecretTamperedError extends Error {
  constructor(context: string) {
    super(`secret for ${context} failed authentication (tampered, or encrypted with another HUB_SECRET_KEY)`);
    this.name = 'SecretTamperedError';
  }
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('secret key must be 32 bytes');
    this.#key = key;
  }

  static fromString(key: string): SecretBox {
    return new SecretBox(/^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64'));
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }

  /**
   * A keyed digest (HMAC-SHA256, base64url) of `message`, for tokens the hub hands out and later recognises
   * without storing them (e.g. a webhook URL). The key is derived per `context`, so a token of one use never
   * passes as another's, and HUB_SECRET_KEY itself is never used twice in two roles.
   */
  mac(message: string, context: string): string {
    const key = createHmac('sha256', this.#key).update(`mac:${context}`).digest();
    return createHmac('sha256', key).update(message).digest('base64url');
  }

  decrypt(sealed: string, context: string): string {
    const [version, payload] = sealed.split(':', 2);
    if (version !== VERSION || !payload) throw new SecretTamperedError(context);
    const raw = Buffer.from(payload, 'base64');
    if (raw.length < 28) throw new SecretTamperedError(context);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretTamperedError(context);
    }
  }
}

/** Embedded mode without HUB_SECRET_KEY: a key file in DATA_DIR, created once with mode 0600. */
export function loadOrCreateKeyFile(dataDir: string): { key: string; created: boolean } {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), created: false };
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, created: true };
}

// crypto.hash is the one-shot form: no Hash object per call (API keys are hashed on every request).
export const sha256Hex = (value: string): string => hash('sha256', value, 'hex');

/** Constant-time comparison of two strings (unequal lengths compare as unequal without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
