// Per-process cache of API key identities that costs no query of its own to keep true. Every request makes one
// rate-limit check anyway; that same round trip also reads the shared generation of the keys, which every
// revocation, limit change and bot switch replaces (KeyService and BotService bump KEYS_GENERATION). An entry read under
// another generation is read again from the database, so a key revoked through any instance is refused by every
// instance at its very next request, while an unchanged key is checked without touching the database.
import type { LimitDecision } from '../../platform/ratelimit/limiter.js';
import { hashApiKey, KEY_PATTERN, KEYS_GENERATION, type KeyIdentity, type KeyService } from './keys.js';

/** Bounds memory against a flood of distinct valid keys; the oldest entries go first. */
const MAX_ENTRIES = 10_000;
/** A second line of defence if a generation change were ever missed (the store lost it mid-flight). */
const MAX_AGE_MS = 60_000;

interface Entry {
  readonly identity: KeyIdentity;
  /** The generation that was current no later than the database read; undefined never matches. */
  readonly generation: string | undefined;
  readonly at: number;
}

export type LimitCheck = (identity: KeyIdentity, watch: string) => Promise<LimitDecision | undefined>;

export class KeyCache {
  readonly #entries = new Map<string, Entry>();
  /** The generation the last check of this process saw (a safe label for an entry read after it). */
  #lastSeen: string | undefined;

  constructor(private readonly keys: KeyService) {}

  /**
   * The key's identity and its limit decision (undefined when the limiter is unavailable). A null identity means
   * missing, unknown or revoked. `check` runs the rate-limit check watching the generation.
   */
  async authenticate(key: string, check: LimitCheck): Promise<{ identity: KeyIdentity | null; decision?: LimitDecision }> {
    if (!KEY_PATTERN.test(key)) return { identity: null };
    const hash = hashApiKey(key);
    const entry = this.#entries.get(hash);
    if (entry && Date.now() - entry.at < MAX_AGE_MS) {
      const decision = await this.#check(check, entry.identity);
      if (decision?.generation !== undefined && decision.generation === entry.generation) return { identity: entry.identity, decision };
      // Something changed since the entry was read (or the limiter could not say): read the key again.
      this.#entries.delete(hash);
      const identity = await this.keys.identifyHash(hash);
      if (!identity) return { identity: null };
      this.#remember(hash, identity, decision?.generation);
      // A changed limit is a different bucket: check again under the new one.
      if (identity.rateLimitPerMinute !== entry.identity.rateLimitPerMinute)
        return { identity, decision: await this.#check(check, identity) };
      return { identity, ...(decision ? { decision } : {}) };
    }
    const seenBefore = this.#lastSeen;
    const identity = await this.keys.identifyHash(hash);
    if (!identity) return { identity: null };
    this.#remember(hash, identity, seenBefore);
    const decision = await this.#check(check, identity);
    return { identity, ...(decision ? { decision } : {}) };
  }

  async #check(check: LimitCheck, identity: KeyIdentity): Promise<LimitDecision | undefined> {
    const decision = await check(identity, KEYS_GENERATION);
    if (decision?.generation !== undefined) this.#lastSeen = decision.generation;
    return decision;
  }

  #remember(hash: string, identity: KeyIdentity, generation: string | undefined): void {
    this.#entries.delete(hash);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(hash, { identity, generation, at: Date.now() });
  }
}
