// Per-process cache of API key identities that costs no query of its own to keep true. Every request makes one
// rate-limit check anyway; that same round trip also reads the shared generation of the keys, which every
// revocation, limit change and bot switch replaces (KeyService and BotService bump KEYS_GENERATION). An entry read under
// another generation is read again from the database, so a key revoked through any instance is refused by every
// instance at its very next request, while an unchanged key is checked without touching the database. Unknown
// keys are remembered briefly too (NEGATIVE_TTL_MS), so repeating a bad key does not cost a query each time.
import type { LimitDecision } from '../../platform/ratelimit/limiter.js';
import { hashApiKey, KEY_PATTERN, KEYS_GENERATION, type KeyIdentity, type KeyService } from './keys.js';

/** Bounds memory against a flood of distinct valid keys; the oldest entries go first. */
const MAX_ENTRIES = 10_000;
/** A second line of defence if a generation change were ever missed (the store lost it mid-flight). */
const MAX_AGE_MS = 60_000;
/**
 * Unknown (or revoked) key hashes are remembered this long, so a client repeating a bad key costs no query each.
 * Short, because a key stored by another process (the CLI, another instance) cannot tell this one; a key stored in
 * this process clears its entry at once (forgetUnknown). A new random key is never in here — nobody could have
 * tried it before it existed —, so only a key stored with a plaintext known beforehand can meet an entry.
 */
export const NEGATIVE_TTL_MS = 5_000;
const MAX_UNKNOWN = 10_000;

interface Entry {
  readonly identity: KeyIdentity;
  /** The generation that was current no later than the database read; undefined never matches. */
  readonly generation: string | undefined;
  readonly at: number;
}

export type LimitCheck = (identity: KeyIdentity, watch: string) => Promise<LimitDecision | undefined>;

export class KeyCache {
  readonly #entries = new Map<string, Entry>();
  /** Hashes found unknown (or revoked), with the time they were; oldest first. */
  readonly #unknown = new Map<string, number>();
  /** Counts keys stored in this process: a lookup that overlapped one must not leave a negative entry behind. */
  #stored = 0;
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
      const storedBefore = this.#stored;
      const identity = await this.keys.identifyHash(hash);
      if (!identity) return this.#rememberUnknown(hash, storedBefore);
      this.#remember(hash, identity, decision?.generation);
      // A changed limit is a different bucket: check again under the new one.
      if (identity.rateLimitPerMinute !== entry.identity.rateLimitPerMinute)
        return { identity, decision: await this.#check(check, identity) };
      return { identity, ...(decision ? { decision } : {}) };
    }
    const unknownAt = this.#unknown.get(hash);
    if (unknownAt !== undefined && Date.now() - unknownAt < NEGATIVE_TTL_MS) return { identity: null };
    const seenBefore = this.#lastSeen;
    const storedBefore = this.#stored;
    const identity = await this.keys.identifyHash(hash);
    if (!identity) return this.#rememberUnknown(hash, storedBefore);
    this.#remember(hash, identity, seenBefore);
    const decision = await this.#check(check, identity);
    return { identity, ...(decision ? { decision } : {}) };
  }

  /** Whether this process holds the key as valid (a throttled address may go on using a key it has proven). */
  knows(key: string | undefined): boolean {
    if (key === undefined || !KEY_PATTERN.test(key)) return false;
    const entry = this.#entries.get(hashApiKey(key));
    return entry !== undefined && Date.now() - entry.at < MAX_AGE_MS;
  }

  /** A key was just stored in this process: a negative entry for it must not outlive it. */
  forgetUnknown(hash: string): void {
    this.#stored++;
    this.#unknown.delete(hash);
  }

  #rememberUnknown(hash: string, storedBefore: number): { identity: null } {
    this.#unknown.delete(hash);
    if (this.#stored !== storedBefore) return { identity: null }; // the read may predate a key stored meanwhile
    if (this.#unknown.size >= MAX_UNKNOWN) this.#unknown.delete(this.#unknown.keys().next().value!);
    this.#unknown.set(hash, Date.now());
    return { identity: null };
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
