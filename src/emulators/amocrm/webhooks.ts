// Account webhooks: the registry (API and control), delivery of form-encoded events over undici, the 2-second
// answer rule, retries on a schedule, auto-disable after many failures, and a delivery log for assertions.
import { request } from 'undici';
import { linkedIds } from './links.js';
import type { EmulatorClock } from '../kit/index.js';
import type { AccountState, EmulatorStore } from './store.js';
import type { WebhookSubscription } from './types.js';
import { buildWebhookBody, settingFor, type WebhookEvent } from './webhook-payload.js';

export interface WebhookOptions {
  /** amoCRM wants a 100–299 answer within 2 s. */
  timeoutMs: number;
  /** Real-time delays between attempts after a failure (a docs summary says 5 min, 15 min, 15 min, 1 h). */
  retryDelaysMs: number[];
  /** Disable a webhook after this many failures within `failureWindowSeconds` (emulated clock). */
  disableAfterFailures: number;
  failureWindowSeconds: number;
}

export const DEFAULT_WEBHOOKS: WebhookOptions = {
  timeoutMs: 2000,
  retryDelaysMs: [5 * 60_000, 15 * 60_000, 15 * 60_000, 60 * 60_000],
  disableAfterFailures: 100,
  failureWindowSeconds: 7200,
};

export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  id: number;
  subdomain: string;
  webhookId: number | null;
  destination: string;
  body: string;
  attempts: DeliveryAttempt[];
  state: 'pending' | 'delivered' | 'failed';
}

export class WebhookDispatcher {
  private readonly log: WebhookDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending = 0;
  /** Bumped by clear(): attempts of an older generation finish silently (a reset happened while they were in flight). */
  private generation = 0;
  private waiters: Array<() => void> = [];
  private nextDeliveryId = 1;

  constructor(
    private readonly store: EmulatorStore,
    private readonly clock: EmulatorClock,
    public options: WebhookOptions,
  ) {}

  /** amoCRM keeps one webhook per destination: registering it again replaces its settings (and re-enables it). */
  register(account: AccountState, input: { destination: string; settings: string[]; sort?: number }, userId: number): WebhookSubscription {
    const now = this.clock.nowSeconds();
    const existing = [...account.webhooks.values()].find((w) => w.destination === input.destination);
    if (existing) {
      Object.assign(existing, {
        settings: [...input.settings],
        sort: input.sort ?? existing.sort,
        disabled: false,
        updated_at: now,
        failures: [],
      });
      return existing;
    }
    const hook: WebhookSubscription = {
      id: this.store.ids.take('webhook'),
      destination: input.destination,
      settings: [...input.settings],
      sort: input.sort ?? 1,
      disabled: false,
      created_by: userId,
      created_at: now,
      updated_at: now,
      failures: [],
    };
    account.webhooks.set(hook.id, hook);
    return hook;
  }

  unregister(account: AccountState, destination: string): boolean {
    const hook = [...account.webhooks.values()].find((w) => w.destination === destination);
    return hook ? account.webhooks.delete(hook.id) : false;
  }

  /** Sends one delivery per subscribed webhook with every matching event of a request. Does not wait. */
  dispatch(account: AccountState, events: readonly WebhookEvent[]): void {
    if (events.length === 0) return;
    for (const hook of account.webhooks.values()) {
      if (hook.disabled) continue;
      const matching = events.filter((e) => hook.settings.includes(settingFor(e)));
      if (matching.length === 0) continue;
      const body = buildWebhookBody(account, matching, (e, type) => linkedIds(account, e.type, e.id, type));
      this.deliver(account, hook, hook.destination, body);
    }
  }

  /** Manual delivery (control API): a prepared form body or fields, to a destination or every active webhook. */
  fire(account: AccountState, body: string, destination?: string): WebhookDelivery[] {
    const targets = destination
      ? [{ hook: null, destination }]
      : [...account.webhooks.values()].filter((h) => !h.disabled).map((hook) => ({ hook, destination: hook.destination }));
    return targets.map((t) => this.deliver(account, t.hook, t.destination, body));
  }

  deliveries(): readonly WebhookDelivery[] {
    return this.log;
  }

  /** Resolves once no delivery is in flight or waiting for a retry. */
  settled(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.log.length = 0;
    this.pending = 0;
    this.generation++;
    this.release();
  }

  close(): void {
    this.clear();
  }

  private deliver(account: AccountState, hook: WebhookSubscription | null, destination: string, body: string): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id: this.nextDeliveryId++,
      subdomain: account.subdomain,
      webhookId: hook?.id ?? null,
      destination,
      body,
      attempts: [],
      state: 'pending',
    };
    this.log.push(delivery);
    this.pending++;
    void this.attempt(hook, delivery);
    return delivery;
  }

  private async attempt(hook: WebhookSubscription | null, delivery: WebhookDelivery): Promise<void> {
    const generation = this.generation;
    const attempt: DeliveryAttempt = { at: Date.now(), status: null, error: null };
    try {
      const res = await request(delivery.destination, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'amoCRM-Webhooks/3.0' },
        body: delivery.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      attempt.status = res.statusCode;
      await res.body.dump();
    } catch (err) {
      attempt.error = (err as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : (err as Error).message;
    }
    if (generation !== this.generation) return;
    delivery.attempts.push(attempt);
    if (attempt.status !== null && attempt.status >= 100 && attempt.status < 300) return this.finish(delivery, 'delivered');
    if (hook && this.countFailure(hook)) return this.finish(delivery, 'failed');
    const delay = this.options.retryDelaysMs[delivery.attempts.length - 1];
    if (delay === undefined || hook?.disabled) return this.finish(delivery, 'failed');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(hook, delivery);
    }, delay);
    this.timers.add(timer);
  }

  /** Records a failure; true when it disabled the webhook (more than the limit within the window). */
  private countFailure(hook: WebhookSubscription): boolean {
    const now = this.clock.nowSeconds();
    hook.failures = hook.failures.filter((t) => t > now - this.options.failureWindowSeconds);
    hook.failures.push(now);
    if (hook.failures.length > this.options.disableAfterFailures) hook.disabled = true;
    return hook.disabled;
  }

  private finish(delivery: WebhookDelivery, state: 'delivered' | 'failed'): void {
    delivery.state = state;
    this.pending--;
    if (this.pending === 0) this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
