// The admin token. ADMIN_TOKEN wins when set. Otherwise the hub keeps only the SHA-256 of a generated token in
// hub_meta: the first start generates one and prints it once; `hub admin token --rotate` replaces it.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { hubMeta } from '../db/schema.js';
import { randomToken, safeEqual, sha256Hex } from '../security/secrets.js';

const KEY = 'admin_token_sha256';

export class AdminToken {
  #hash: string | undefined;
  #checkedAt = Date.now();

  private constructor(
    private readonly database: Database,
    private readonly fixed: string | undefined,
  ) {}

  /** Loads the token hash; returns the plaintext only when a new one was generated (to print once). */
  static async init(database: Database, fixed: string | undefined): Promise<{ token: AdminToken; generated?: string }> {
    const t = new AdminToken(database, fixed);
    if (fixed) return { token: t };
    const [row] = await database.db.select().from(hubMeta).where(eq(hubMeta.key, KEY));
    if (row) {
      t.#hash = row.value;
      return { token: t };
    }
    return { token: t, generated: await t.rotate() };
  }

  /** Issues a new token; the old one stops working at once on this process and within a minute elsewhere. */
  async rotate(): Promise<string> {
    const plain = `hub_admin_${randomToken(24)}`;
    const hash = sha256Hex(plain);
    await this.database.db
      .insert(hubMeta)
      .values({ key: KEY, value: hash })
      .onConflictDoUpdate({ target: hubMeta.key, set: { value: hash, updatedAt: new Date() } });
    this.#hash = hash;
    return plain;
  }

  /**
   * Another process may have rotated the token: re-read the stored hash when ours is older than `maxAgeMs`,
   * so a rotation takes effect everywhere within that time (one tiny query per process per period).
   */
  async refreshIfStale(maxAgeMs: number): Promise<void> {
    if (this.fixed || Date.now() - this.#checkedAt < maxAgeMs) return;
    this.#checkedAt = Date.now();
    const [row] = await this.database.db.select().from(hubMeta).where(eq(hubMeta.key, KEY));
    if (row) this.#hash = row.value;
  }

  verify(presented: string | undefined): boolean {
    if (!presented) return false;
    if (this.fixed) return safeEqual(presented, this.fixed);
    return this.#hash !== undefined && safeEqual(sha256Hex(presented), this.#hash);
  }
}
