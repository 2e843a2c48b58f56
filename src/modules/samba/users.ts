// Who may call /samba: users with passwords, managed by the operator (admin API, `hub samba user …`). Passwords are
// kept as scrypt hashes (`scrypt$N$r$p$salt$hash`); the platform seals secrets it must show again, but nobody needs
// to read a SAMBA password back. scrypt costs tens of milliseconds by design, so a verified pair is remembered by a
// digest of (login, password, stored hash): the next call costs a row read and one SHA-256, and a changed password
// (a new hash) or a removed user misses the cache.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Hub } from '../../platform/hub.js';
import { sha256Hex } from '../../platform/security/secrets.js';
import { sambaError } from './errors.js';

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;
const CACHE_LIMIT = 1000;

const scrypt = (password: string, salt: Buffer, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, KEY_LENGTH, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const LOGIN_PATTERN = '^[A-Za-z0-9._@-]{1,64}$';
export const MIN_PASSWORD = 8;

export interface UserView {
  readonly login: string;
  readonly created_at: string;
  readonly updated_at: string;
}

const iso = (v: Date | string) => new Date(v).toISOString();

export class UserService {
  readonly #verified = new Set<string>();

  constructor(private readonly hub: Hub) {}

  async add(login: string, password: string): Promise<UserView> {
    checkCredentials(login, password);
    const rows = await this.hub.database.query<{ login: string; created_at: Date; updated_at: Date }>(
      `insert into samba_users (login, password_hash) values ($1, $2) on conflict (login) do nothing
       returning login, created_at, updated_at`,
      [login, await hashPassword(password)],
    );
    if (!rows[0]) throw sambaError('USER_EXISTS', `Пользователь ${login} уже существует`);
    return view(rows[0]);
  }

  async passwd(login: string, password: string): Promise<UserView> {
    checkCredentials(login, password);
    const rows = await this.hub.database.query<{ login: string; created_at: Date; updated_at: Date }>(
      `update samba_users set password_hash = $2, updated_at = now() where login = $1 returning login, created_at, updated_at`,
      [login, await hashPassword(password)],
    );
    if (!rows[0]) throw sambaError('USER_NOT_FOUND', `Пользователь ${login} не найден`);
    return view(rows[0]);
  }

  async remove(login: string): Promise<void> {
    const rows = await this.hub.database.query(`delete from samba_users where login = $1 returning login`, [login]);
    if (!rows[0]) throw sambaError('USER_NOT_FOUND', `Пользователь ${login} не найден`);
  }

  async list(): Promise<UserView[]> {
    const rows = await this.hub.database.query<{ login: string; created_at: Date; updated_at: Date }>(
      `select login, created_at, updated_at from samba_users order by login`,
    );
    return rows.map(view);
  }

  /** True when the user exists and the password is theirs. */
  async verify(login: string, password: string): Promise<boolean> {
    const [row] = await this.hub.database.query<{ password_hash: string }>(`select password_hash from samba_users where login = $1`, [
      login,
    ]);
    if (!row) return false;
    const key = sha256Hex(`${login}\u0000${password}\u0000${row.password_hash}`);
    if (this.#verified.has(key)) return true;
    if (!(await verifyPassword(password, row.password_hash))) return false;
    if (this.#verified.size >= CACHE_LIMIT) this.#verified.clear();
    this.#verified.add(key);
    return true;
  }
}

function checkCredentials(login: string, password: string): void {
  if (!new RegExp(LOGIN_PATTERN).test(login)) throw new RangeError('login: 1–64 characters of A–Z a–z 0–9 . _ @ -');
  if (password.length < MIN_PASSWORD || password.length > 200 || [...password].some((c) => c.charCodeAt(0) < 0x20))
    throw new RangeError(`password: ${MIN_PASSWORD}–200 characters, no control characters`);
}

const view = (r: { login: string; created_at: Date; updated_at: Date }): UserView => ({
  login: r.login,
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
});
