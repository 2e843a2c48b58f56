// Fault injection: per-route rules (an error status, a delay, a dropped connection) and outage windows.
// Delays and outages use real time (they exercise the caller's timeouts), not the emulated clock.

export interface FaultRuleInput {
  /** Glob over the account-relative path, e.g. `/api/v4/leads/complex` or `/api/v4/leads*`; `*` matches anything. */
  path: string;
  method?: string;
  /** 500 (problem+json ErrInternalServer), 502/503/504 (gateway pages), 402 (unpaid account), or any status. */
  status?: number;
  /** Wait this long before answering (with `status`, or normally when no status is set). */
  delayMs?: number;
  /** Drop the connection without an answer. */
  reset?: boolean;
  /** Apply to the next N matching requests only; default: until removed. */
  times?: number;
}

export interface FaultRule extends FaultInputResolved {
  readonly id: number;
}

interface FaultInputResolved {
  path: string;
  method: string | null;
  status: number | null;
  delayMs: number;
  reset: boolean;
  remaining: number | null;
  matcher: RegExp;
}

export interface FaultAction {
  delayMs: number;
  status: number | null;
  reset: boolean;
  ruleId: number | null;
}

export type OutageMode = '503' | 'reset';

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;
  private outage: { untilMs: number; mode: OutageMode } | null = null;

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = {
      id: this.nextId++,
      path: input.path,
      method: input.method?.toUpperCase() ?? null,
      status: input.status ?? null,
      delayMs: input.delayMs ?? 0,
      reset: input.reset ?? false,
      remaining: input.times ?? null,
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

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** Every API call answers 503 (or has its connection reset) for the next `seconds` of real time. */
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

  /** The first matching rule wins; a rule with `times` is used up as it fires. */
  match(method: string, path: string): FaultAction | null {
    const rule = this.rules.find((r) => (r.method === null || r.method === method) && r.matcher.test(path));
    if (!rule) return null;
    if (rule.remaining !== null && --rule.remaining <= 0) this.remove(rule.id);
    return { delayMs: rule.delayMs, status: rule.status, reset: rule.reset, ruleId: rule.id };
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
