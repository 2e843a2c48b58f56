// Fault injection: per-route rules (an error status, a partner-specific fault kind, a delay, a dropped connection)
// and outage windows. Delays and outages use real time (they exercise the caller's timeouts), not the emulated
// clock. The injector only decides *which* fault hits a request; the partner renders it (see gate.ts).

export interface FaultRuleInput<K extends string = never> {
  /** Glob over the partner-relative path, e.g. `/api/v4/leads/complex` or `/api/v4/leads*`; `*` matches anything. */
  path: string;
  method?: string;
  /** Answer with this status, rendered the way the partner renders it (its error body, a gateway page…). */
  status?: number;
  /** A fault from the partner's catalogue (e.g. a malformed body); rendered by the partner, with `status` if given. */
  kind?: K;
  /** Wait this long before answering (with the fault, or normally when neither status nor kind is set). */
  delayMs?: number;
  /** Drop the connection without an answer. */
  reset?: boolean;
  /** Apply to the next N matching requests only; default: until removed. */
  times?: number;
  /**
   * Apply to this fraction (0–1] of the matching requests, spread evenly and deterministically (0.75: three in
   * every four); the others pass on to the next rule. A partner that refuses most calls but not all (a 429 storm).
   */
  share?: number;
}

export interface FaultRule<K extends string = never> {
  readonly id: number;
  readonly path: string;
  readonly method: string | null;
  readonly status: number | null;
  readonly kind: K | null;
  readonly delayMs: number;
  readonly reset: boolean;
  remaining: number | null;
  readonly share: number | null;
  /** Matching requests seen so far (for `share`). */
  seen: number;
  readonly matcher: RegExp;
}

/** What the partner must answer with: a status, a kind from its catalogue, or both. */
export interface InjectedFault<K extends string = never> {
  status: number | null;
  kind: K | null;
}

export interface FaultAction<K extends string = never> extends InjectedFault<K> {
  delayMs: number;
  reset: boolean;
  ruleId: number | null;
}

export type OutageMode = '503' | 'reset';

export class FaultInjector<K extends string = never> {
  private rules: FaultRule<K>[] = [];
  private nextId = 1;
  private outage: { untilMs: number; mode: OutageMode } | null = null;

  /** @param kinds the partner's fault catalogue: the only `kind` values a rule may name. */
  constructor(readonly kinds: readonly K[] = []) {}

  add(input: FaultRuleInput<K>): FaultRule<K> {
    if (input.kind !== undefined && !this.kinds.includes(input.kind))
      throw new Error(`unknown fault kind '${String(input.kind)}'; this emulator knows: ${this.kinds.join(', ') || 'none'}`);
    if (input.share !== undefined && !(input.share > 0 && input.share <= 1)) throw new Error('share must be in (0, 1]');
    const rule: FaultRule<K> = {
      id: this.nextId++,
      path: input.path,
      method: input.method?.toUpperCase() ?? null,
      status: input.status ?? null,
      kind: input.kind ?? null,
      delayMs: input.delayMs ?? 0,
      reset: input.reset ?? false,
      remaining: input.times ?? null,
      share: input.share ?? null,
      seen: 0,
      matcher: globToRegExp(input.path),
    };
    this.rules.push(rule);
    return rule;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  list(): readonly FaultRule<K>[] {
    return this.rules;
  }

  /** Every partner call answers 503 (or has its connection reset) for the next `seconds` of real time. */
  startOutage(seconds: number, mode: OutageMode = '503'): void {
    this.outage = { untilMs: Date.now() + seconds * 1000, mode };
  }

  endOutage(): void {
    this.outage = null;
  }

  clear(): void {
    this.rules = [];
    this.outage = null;
  }

  currentOutage(): OutageMode | null {
    if (this.outage && this.outage.untilMs > Date.now()) return this.outage.mode;
    this.outage = null;
    return null;
  }

  /** The first matching rule that fires wins; a rule with `times` is used up as it fires. */
  match(method: string, path: string): FaultAction<K> | null {
    const rule = this.rules.find((r) => (r.method === null || r.method === method) && r.matcher.test(path) && fires(r));
    if (!rule) return null;
    if (rule.remaining !== null && --rule.remaining <= 0) this.remove(rule.id);
    return { delayMs: rule.delayMs, status: rule.status, kind: rule.kind, reset: rule.reset, ruleId: rule.id };
  }
}

/** A rule with a `share` fires when ⌊seen·share⌋ steps up: evenly spread, the same sequence every run. */
function fires(rule: FaultRule<string>): boolean {
  if (rule.share === null) return true;
  rule.seen++;
  return Math.floor(rule.seen * rule.share) > Math.floor((rule.seen - 1) * rule.share);
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
