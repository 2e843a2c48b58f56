// Shared set-up for the tracking tests: a hub with only the tracking module (unique rate-limit prefix per hub,
// so parallel runs never share buckets), bots and keys provisioned through the admin API, and an API caller.
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { testHub, type TestHub } from '../../helpers/hub.js';
import { createTrackingModule, type TrackingOptions } from '../../../src/modules/tracking/index.js';

export interface TrackingHubOptions {
  readonly env?: Record<string, string>;
  readonly options?: Partial<TrackingOptions>;
}

export const uniquePrefix = () => `tracking-test:${randomBytes(6).toString('hex')}:`;

export async function trackingHub(t: TestContext, opts: TrackingHubOptions = {}): Promise<TestHub> {
  return testHub(t, {
    env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost', ...opts.env },
    modules: [createTrackingModule({ rateLimitPrefix: uniquePrefix(), usageFlushMs: 100, ...opts.options })],
  });
}

export interface Provisioned {
  readonly botId: number;
  readonly key: string;
  readonly keyId: number;
}

export async function admin(h: TestHub, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
  return h.app.inject({
    method,
    url: `/admin/v1${url}`,
    headers: { ...h.admin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
}

export async function provision(h: TestHub, opts: { id?: number; name?: string; limit?: number } = {}): Promise<Provisioned> {
  const bot = await admin(h, 'POST', '/tracking/bots', {
    name: opts.name ?? 'Карго Экспресс',
    username: '@cargo_bot',
    ...(opts.id ? { id: opts.id } : {}),
  });
  assert.equal(bot.statusCode, 201, bot.body);
  const key = await admin(h, 'POST', `/tracking/bots/${bot.json().id}/keys`, {
    name: 'test',
    ...(opts.limit ? { rate_limit_per_minute: opts.limit } : {}),
  });
  assert.equal(key.statusCode, 201, key.body);
  return { botId: bot.json().id, key: key.json().key, keyId: key.json().id };
}

export function api(h: TestHub, key: string | undefined) {
  return (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        ...(key !== undefined ? { 'x-api-key': key } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
}

export const parcel = (n: string, client = 'CLIENT123', extra: Record<string, unknown> = {}) => ({
  tracking_number: n,
  client_code: client,
  quantity: 5,
  weight_kg: 10.5,
  price_per_kg_usd: 14.29,
  total_cost_usd: 150,
  note: 'Хрупкое',
  ...extra,
});
