// Status-change webhooks per bot, by the Standard Webhooks scheme: headers webhook-id (the event id, the same
// on every retry), webhook-timestamp (Unix seconds), webhook-signature `v1,<base64 HMAC-SHA256 of
// "id.timestamp.body">` keyed with the endpoint's `whsec_` secret (stored encrypted). A delivery row and its job
// are written in the status change's own transaction; a failed attempt schedules the next one on the retry
// ladder in the same transaction as its log row. 410 Gone disables the endpoint (Standard Webhooks advice).
// An endpoint URL is checked when it is saved (http(s), no credentials, no private or local address unless
// OUTBOUND_ALLOW_HOSTS allows it); a delivery the SSRF guard still refuses (the name now resolves elsewhere) fails
// at once, as no retry can help.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Hub } from '../../platform/hub.js';
import { OutboundError } from '../../platform/outbound/http-client.js';
import type { PartnerTransport } from '../../platform/outbound/transport.js';
import { assertTargetAllowed, HostLookupError, SsrfBlockedError } from '../../platform/outbound/ssrf.js';
import { defineQueue, type SingleQueueDef } from '../../platform/jobs/queue.js';
import { rows, type DbExecutor } from '../../platform/db/database.js';
import type { TrackingNumberView } from './contract.js';
import { trackingError } from './errors.js';
import type { TrackingOptions } from './options.js';
import type { Status } from './statuses.js';

export const STATUS_CHANGED = 'tracking.status_changed';

export interface DeliveryJob {
  readonly deliveryId: number;
  /** Position on the retry ladder (0 = first attempt); manual redeliveries are one-off attempts. */
  readonly step: number;
  readonly trigger: 'auto' | 'manual';
}

/** One delivery attempt per job. The retry ladder is ours (a job per step), the queue's retries cover crashes and database errors. */
export const WEBHOOK_QUEUE = defineQueue<DeliveryJob>('tracking.webhook', { retryLimit: 3, retryDelay: 5, batchSize: 5 });

export const generateWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** The Standard Webhooks v1 signature of one message. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

const sealContext = (webhookId: number) => `tracking_webhooks:${webhookId}:secret`;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export interface WebhookView {
  id: number;
  bot_id: number;
  url: string;
  is_active: boolean;
  disabled_reason: string | null;
  created_at: string;
}

export interface DeliveryView {
  id: number;
  webhook_id: number;
  event_id: string;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

interface DeliveryRow extends Omit<DeliveryView, 'next_attempt_at' | 'created_at' | 'delivered_at'> {
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
  body: string;
}

const deliveryView = (r: DeliveryRow): DeliveryView => ({
  id: r.id,
  webhook_id: r.webhook_id,
  event_id: r.event_id,
  event_type: r.event_type,
  status: r.status,
  attempts: r.attempts,
  last_status_code: r.last_status_code,
  last_error: r.last_error,
  next_attempt_at: iso(r.next_attempt_at),
  created_at: iso(r.created_at)!,
  delivered_at: iso(r.delivered_at),
});
const webhookView = (r: WebhookView & { created_at: Date | string }): WebhookView => ({
  id: r.id,
  bot_id: r.bot_id,
  url: withoutPassword(r.url),
  is_active: r.is_active,
  disabled_reason: r.disabled_reason,
  created_at: iso(r.created_at)!,
});
const DELIVERY_COLUMNS =
  'id, webhook_id, event_id, event_type, status, attempts, last_status_code, last_error, next_attempt_at, created_at, delivered_at, body';

export class WebhookService {
  constructor(
    private readonly hub: Hub,
    /** Under `senderPolicy` (one attempt a call): the retry ladder below is the retry. */
    private readonly http: PartnerTransport<undefined, undefined, OutboundError>,
    private readonly options: TrackingOptions,
  ) {}

  async create(botId: number, url: string): Promise<WebhookView & { secret: string }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw trackingError('BAD_WEBHOOK_URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw trackingError('BAD_WEBHOOK_URL');
    // Credentials in a URL would be stored in clear and shown in every listing; the signature authenticates us.
    if (parsed.username || parsed.password) throw trackingError('BAD_WEBHOOK_URL', CREDENTIALS_MESSAGE);
    const [bot] = await this.hub.database.query('select 1 from tracking_bots where id = $1', [botId]);
    if (!bot) throw trackingError('BOT_NOT_FOUND');
    await this.#assertTarget(parsed);
    const secret = generateWebhookSecret();
    const row = await this.hub.db.transaction(async (tx) => {
      const [r] = await rows<WebhookView & { created_at: Date }>(
        tx,
        sql`insert into tracking_webhooks (bot_id, url, secret_sealed) values (${botId}, ${parsed.toString()}, '') returning id, bot_id, url, is_active, disabled_reason, created_at`,
      );
      // The row id is part of the encryption context, so the secret is sealed once the id is known.
      await rows(
        tx,
        sql`update tracking_webhooks set secret_sealed = ${this.hub.secrets.encrypt(secret, sealContext(r!.id))} where id = ${r!.id}`,
      );
      return r!;
    });
    return { ...webhookView(row), secret };
  }

  /** The SSRF guard's verdict now, as a 400 the operator can act on (not 27 hours of failed retries). */
  async #assertTarget(url: URL): Promise<void> {
    try {
      await assertTargetAllowed(url, this.hub.config.outbound.allowHosts);
    } catch (err) {
      if (err instanceof SsrfBlockedError)
        throw trackingError(
          'BAD_WEBHOOK_URL',
          `Адрес вебхука ведёт в частную, локальную или служебную сеть (${err.host} → ${err.address}); такие адреса разрешает только OUTBOUND_ALLOW_HOSTS`,
        );
      if (err instanceof HostLookupError) throw trackingError('BAD_WEBHOOK_URL', `Хост вебхука ${err.host} не найден в DNS (${err.code})`);
      throw err;
    }
  }

  async list(botId: number): Promise<WebhookView[]> {
    const list = await this.hub.database.query<WebhookView & { created_at: Date }>(
      'select id, bot_id, url, is_active, disabled_reason, created_at from tracking_webhooks where bot_id = $1 order by id',
      [botId],
    );
    return list.map(webhookView);
  }

  /** Stops deliveries to an endpoint; its delivery log stays. */
  async disable(id: number, reason = 'disabled by operator'): Promise<WebhookView> {
    const [row] = await this.hub.database.query<WebhookView & { created_at: Date }>(
      'update tracking_webhooks set is_active = false, disabled_reason = $2 where id = $1 returning id, bot_id, url, is_active, disabled_reason, created_at',
      [id, reason],
    );
    if (!row) throw trackingError('WEBHOOK_NOT_FOUND');
    return webhookView(row);
  }

  /** Called inside the status change's transaction: one delivery + job per active endpoint of the bot. */
  async enqueueStatusChange(
    tx: DbExecutor,
    e: { botId: number; tracking: TrackingNumberView; previousStatus: Status; changedAt: string; source: string },
  ): Promise<void> {
    const hooks = await rows<{ id: number }>(tx, sql`select id from tracking_webhooks where bot_id = ${e.botId} and is_active`);
    if (hooks.length === 0) return;
    const body = JSON.stringify({
      type: STATUS_CHANGED,
      timestamp: e.changedAt,
      data: {
        bot_id: e.botId,
        previous_status: e.previousStatus,
        status: e.tracking.current_status,
        source: e.source,
        tracking: e.tracking,
      },
    });
    for (const hook of hooks) {
      const [d] = await rows<{ id: number }>(
        tx,
        sql`insert into tracking_webhook_deliveries (webhook_id, bot_id, event_id, event_type, body, next_attempt_at)
            values (${hook.id}, ${e.botId}, ${`msg_${randomUUID().replaceAll('-', '')}`}, ${STATUS_CHANGED}, ${body}, now()) returning id`,
      );
      await this.hub.jobs.send(WEBHOOK_QUEUE, { deliveryId: d!.id, step: 0, trigger: 'auto' }, { tx });
    }
  }

  async deliveries(webhookId: number, opts: { limit: number; status?: DeliveryView['status'] }): Promise<DeliveryView[]> {
    const [hook] = await this.hub.database.query('select 1 from tracking_webhooks where id = $1', [webhookId]);
    if (!hook) throw trackingError('WEBHOOK_NOT_FOUND');
    const list = await this.hub.database.query<DeliveryRow>(
      `select ${DELIVERY_COLUMNS} from tracking_webhook_deliveries where webhook_id = $1 and ($2::text is null or status = $2) order by id desc limit $3`,
      [webhookId, opts.status ?? null, opts.limit],
    );
    return list.map(deliveryView);
  }

  async delivery(id: number): Promise<
    DeliveryView & {
      body: string;
      attempts_log: Array<{
        at: string;
        trigger: string;
        status_code: number | null;
        error: string | null;
        response_body: string | null;
        duration_ms: number;
      }>;
    }
  > {
    const [row] = await this.hub.database.query<DeliveryRow>(`select ${DELIVERY_COLUMNS} from tracking_webhook_deliveries where id = $1`, [
      id,
    ]);
    if (!row) throw trackingError('DELIVERY_NOT_FOUND');
    const attempts = await this.hub.database.query<{
      at: Date;
      trigger: string;
      status_code: number | null;
      error: string | null;
      response_body: string | null;
      duration_ms: number;
    }>(
      'select at, trigger, status_code, error, response_body, duration_ms from tracking_webhook_attempts where delivery_id = $1 order by id',
      [id],
    );
    return { ...deliveryView(row), body: row.body, attempts_log: attempts.map((a) => ({ ...a, at: iso(a.at)! })) };
  }

  /** Manual redelivery (any state): one immediate attempt; a pending ladder keeps running independently. */
  async redeliver(id: number): Promise<{ job_id: string | null }> {
    const [row] = await this.hub.database.query('select 1 from tracking_webhook_deliveries where id = $1', [id]);
    if (!row) throw trackingError('DELIVERY_NOT_FOUND');
    const jobId = await this.hub.jobs.send(WEBHOOK_QUEUE, { deliveryId: id, step: 0, trigger: 'manual' });
    return { job_id: jobId };
  }

  queue(): SingleQueueDef<DeliveryJob> {
    // A job outlives its request's timeout, which is configuration: only the running hub knows it.
    return WEBHOOK_QUEUE.worker((job) => this.attempt(job), { expireInSeconds: Math.ceil(this.options.webhookTimeoutMs / 1000) + 30 });
  }

  /** One delivery attempt; the outcome and the next step (if any) are written in one transaction. */
  async attempt(job: DeliveryJob): Promise<{ delivered: boolean; status?: number; skipped?: string; retryInSeconds?: number }> {
    const [d] = await this.hub.database.query<DeliveryRow & { url: string; secret_sealed: string; is_active: boolean }>(
      `select d.id, d.webhook_id, d.event_id, d.status, d.body, w.url, w.secret_sealed, w.is_active
         from tracking_webhook_deliveries d join tracking_webhooks w on w.id = d.webhook_id where d.id = $1`,
      [job.deliveryId],
    );
    if (!d) return { delivered: false, skipped: 'delivery not found' };
    if (job.trigger === 'auto' && d.status !== 'pending') return { delivered: d.status === 'delivered', skipped: `already ${d.status}` };
    if (!d.is_active) {
      await this.hub.database.query(
        `update tracking_webhook_deliveries set status = 'failed', last_error = 'endpoint disabled', next_attempt_at = null where id = $1 and status = 'pending'`,
        [d.id],
      );
      return { delivered: false, skipped: 'endpoint disabled' };
    }
    const secret = this.hub.secrets.decrypt(d.secret_sealed, sealContext(d.webhook_id));
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    let status: number | undefined;
    let error: string | null = null;
    let responseBody: string | null = null;
    let refused = false;
    try {
      const res = await this.http.request({
        method: 'POST',
        url: d.url,
        kind: 'none',
        timeoutMs: this.options.webhookTimeoutMs,
        body: d.body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': d.event_id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, d.event_id, timestamp, d.body),
        },
      });
      status = res.status;
      responseBody = res.text.slice(0, 1000);
    } catch (err) {
      status = err instanceof OutboundError ? err.status : undefined;
      error = err instanceof Error ? err.message : String(err);
      responseBody = err instanceof OutboundError ? err.body.slice(0, 1000) : null;
      // No answer and "a retry cannot help": the SSRF guard refused the target. Retrying it for 27 h helps nobody.
      refused = err instanceof OutboundError && err.status === undefined && !err.retryable;
    }
    const durationMs = performance.now() - started;
    const ok = status !== undefined && status >= 200 && status < 300;
    const gone = status === 410;
    const ladder = this.options.webhookRetryLadderSeconds;
    const retryIn = !ok && !gone && !refused && job.trigger === 'auto' && job.step < ladder.length ? jitter(ladder[job.step]!) : undefined;

    await this.hub.db.transaction(async (tx) => {
      await rows(
        tx,
        sql`insert into tracking_webhook_attempts (delivery_id, status_code, error, response_body, duration_ms, trigger)
            values (${d.id}, ${status ?? null}, ${error}, ${responseBody}, ${durationMs}, ${job.trigger})`,
      );
      const next = retryIn !== undefined ? new Date(Date.now() + retryIn * 1000).toISOString() : null;
      const newStatus = ok
        ? 'delivered'
        : retryIn !== undefined
          ? 'pending'
          : job.trigger === 'manual' && d.status === 'pending' && !refused
            ? 'pending'
            : 'failed';
      await rows(
        tx,
        sql`update tracking_webhook_deliveries set attempts = attempts + 1, last_status_code = ${status ?? null}, last_error = ${error},
              status = ${newStatus}, next_attempt_at = ${next}, delivered_at = case when ${ok} then now() else delivered_at end
            where id = ${d.id}`,
      );
      if (gone)
        await rows(
          tx,
          sql`update tracking_webhooks set is_active = false, disabled_reason = '410 Gone from the receiver' where id = ${d.webhook_id}`,
        );
      if (retryIn !== undefined) {
        await this.hub.jobs.send(
          WEBHOOK_QUEUE,
          { deliveryId: d.id, step: job.step + 1, trigger: 'auto' },
          {
            tx,
            startAfterSeconds: retryIn,
          },
        );
      }
    });
    if (!ok)
      this.hub.log.warn(
        { deliveryId: d.id, webhookId: d.webhook_id, status, error, retryInSeconds: retryIn, refused },
        refused ? 'tracking webhook delivery refused by the SSRF guard; not retried' : 'tracking webhook delivery failed',
      );
    return { delivered: ok, ...(status !== undefined ? { status } : {}), ...(retryIn !== undefined ? { retryInSeconds: retryIn } : {}) };
  }
}

const CREDENTIALS_MESSAGE =
  'Адрес вебхука не должен содержать логин и пароль (https://user:pass@…): получатель проверяет подпись webhook-signature';

/** Endpoints saved before credentials were refused are shown without their password. */
function withoutPassword(url: string): string {
  if (!url.includes('@')) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** ±10 % so that many endpoints failing together do not retry in lockstep; never below 1 s. */
function jitter(seconds: number): number {
  return Math.max(1, Math.round(seconds * (0.9 + Math.random() * 0.2)));
}
