import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from 'pino';
import { addressKey, AuthFailureThrottle } from '../../src/platform/security/auth-failures.js';
import { AuthGuard } from '../../src/platform/security/auth-guard.js';

test('an address past the limit within the window waits until the oldest failure leaves it; reported once per window', () => {
  const throttle = new AuthFailureThrottle({ limit: 3, windowMs: 1000 });
  const ip = '203.0.113.1';
  // Three failures, but never three within one second: never throttled, never reported.
  for (const at of [0, 600, 1200, 1800, 2400]) {
    assert.equal(throttle.fail(ip, 10_000 + at), false);
    assert.equal(throttle.retryAfterMs(ip, 10_000 + at), 0);
  }
  assert.equal(throttle.fail(ip, 12_500), true, '1,800 / 2,400 / 2,500 ms: three within one second');
  assert.equal(throttle.retryAfterMs(ip, 12_500), 300, 'until 1,800 + 1,000');
  assert.equal(throttle.retryAfterMs(ip, 12_800), 0);
  assert.equal(throttle.retryAfterMs('203.0.113.2', 12_500), 0, 'other addresses are not affected');

  // A flood from one address: reported once per window, each failure costing the same small work.
  let reports = 0;
  for (let i = 0; i < 200_000; i++) if (throttle.fail('203.0.113.3', 50_000 + Math.floor(i / 100))) reports++;
  assert.equal(reports, 2, 'one at the flood start, one a window later');
});

test('memory stays bounded: the least recently failing address is forgotten first', () => {
  const throttle = new AuthFailureThrottle({ limit: 2, windowMs: 60_000 }, 100);
  throttle.fail('198.51.100.1', 0);
  throttle.fail('198.51.100.1', 1);
  for (let i = 0; i < 99; i++) throttle.fail(`192.0.2.${i}`, 2 + i);
  assert.equal(throttle.size, 100);
  assert.ok(throttle.retryAfterMs('198.51.100.1', 200) > 0);
  for (let i = 0; i < 10_000; i++) throttle.fail(`10.${i >> 8}.${i & 255}.1`, 300);
  assert.equal(throttle.size, 100);
  assert.equal(throttle.retryAfterMs('198.51.100.1', 400), 0, 'evicted after 10,000 newer addresses');
});

test('IPv6 clients are counted by /64, IPv4-mapped ones as IPv4', () => {
  assert.equal(addressKey('203.0.113.9'), '203.0.113.9');
  assert.equal(addressKey('::ffff:203.0.113.9'), '203.0.113.9');
  assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
  assert.equal(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  const throttle = new AuthFailureThrottle({ limit: 2, windowMs: 60_000 });
  throttle.fail('2001:db8:1:2::a', 0);
  throttle.fail('2001:db8:1:2::b', 1);
  assert.ok(throttle.retryAfterMs('2001:db8:1:2:ffff::c', 2) > 0, 'a fresh address in the same /64 waits too');
  assert.equal(throttle.retryAfterMs('2001:db8:1:3::a', 2), 0);
});

test("AuthGuard: the gate's own 429 with the wait in whole seconds; each refusal counted, the burst alerted and logged once", () => {
  const alerts: Array<{ kind: string; partner: string }> = [];
  const warnings: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  const log = { warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }) } as unknown as Logger;
  class Throttled extends Error {
    constructor(readonly seconds: number) {
      super(`wait ${seconds}`);
    }
  }
  const guard = new AuthGuard(
    { config: { authFailures: { limit: 3, windowMs: 60_000 } }, metrics: { alerts: { inc: (l) => alerts.push(l) } }, log },
    { alert: { kind: 'x_auth_failures', partner: 'x' }, label: 'X API', throttled: (s) => new Throttled(s) },
  );
  const ip = '203.0.113.50';
  const req = { ip };
  guard.admit(req);
  const refusal = new Error('401');
  for (let i = 0; i < 3; i++) assert.equal(guard.refused(req, refusal), refusal, 'the error to throw comes back');
  assert.deepEqual(alerts, [{ kind: 'x_auth_failures', partner: 'x' }]);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.msg, 'X API: burst of failed authentications from one IP');
  assert.deepEqual(warnings[0]!.obj, { ip, failures: 3, windowMs: 60_000 });
  assert.throws(
    () => guard.admit(req),
    (err: unknown) => err instanceof Throttled && err.seconds > 0 && err.seconds <= 60,
  );
  guard.admit({ ip: '203.0.113.51' }); // another address is not held up
  guard.refused(req, refusal);
  assert.equal(alerts.length, 1, 'one alert per window');
});
