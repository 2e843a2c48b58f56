import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertTargetAllowed,
  assertUrlAllowed,
  HostLookupError,
  isPrivateAddress,
  SsrfBlockedError,
} from '../../src/platform/outbound/ssrf.js';

test('private, loopback, link-local and special ranges are recognised', () => {
  for (const a of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ]) {
    assert.equal(isPrivateAddress(a), true, a);
  }
  for (const a of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '2a00:1450:4010:c05::8b']) assert.equal(isPrivateAddress(a), false, a);
});

test('literal private targets are refused unless allowed', () => {
  assert.throws(() => assertUrlAllowed(new URL('http://169.254.169.254/latest/meta-data'), []), SsrfBlockedError);
  assert.throws(() => assertUrlAllowed(new URL('http://localhost:8080/'), []), SsrfBlockedError);
  assert.throws(() => assertUrlAllowed(new URL('http://LOCALHOST.:8080/'), []), SsrfBlockedError);
  assert.throws(() => assertUrlAllowed(new URL('http://[::1]/'), []), SsrfBlockedError);
  assert.doesNotThrow(() => assertUrlAllowed(new URL('http://127.0.0.1:9001/x'), ['127.0.0.1']));
  assert.doesNotThrow(() => assertUrlAllowed(new URL('http://10.0.0.5:8443/x'), ['10.0.0.5:8443']));
  assert.throws(() => assertUrlAllowed(new URL('http://10.0.0.5:9999/x'), ['10.0.0.5:8443']), SsrfBlockedError);
});

test('IPv6 ranges that embed an IPv4 address are refused: IPv4-compatible, NAT64 and 6to4', () => {
  for (const a of [
    '::7f00:1', // ::127.0.0.1, IPv4-compatible
    '::a00:5', // ::10.0.0.5
    '::808:808', // even a public IPv4 inside ::/96
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    '64:ff9b::808:808',
    '64:ff9b:1::a00:1', // local-use NAT64
    '2002:a9fe:a9fe::1', // 6to4 of 169.254.169.254
    '2002:808:808::1',
    '::ffff:7f00:1', // IPv4-mapped, hex form (what the URL parser writes)
  ]) {
    assert.equal(isPrivateAddress(a), true, a);
  }
  for (const a of ['2001:db8::1', '2a02:6b8::2:242', '64:ff9c::1', '2003::1']) assert.equal(isPrivateAddress(a), false, a);
  assert.throws(() => assertUrlAllowed(new URL('http://[64:ff9b::169.254.169.254]/'), []), SsrfBlockedError);
  assert.throws(() => assertUrlAllowed(new URL('http://[::ffff:127.0.0.1]/'), []), SsrfBlockedError);
});

test('a saved target is resolved and refused when any of its addresses is private, unless allowed', async () => {
  const answers: Record<string, string[]> = {
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::248'],
    'mixed.example.com': ['93.184.216.34', '10.0.0.5'],
    'rebind.example.com': ['64:ff9b::a00:5'],
  };
  const resolve = async (host: string) => {
    const list = answers[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address }));
  };
  await assertTargetAllowed(new URL('https://hooks.example.com/x'), [], resolve);
  await assert.rejects(assertTargetAllowed(new URL('https://mixed.example.com/x'), [], resolve), (e: unknown) => {
    assert.ok(e instanceof SsrfBlockedError);
    assert.equal(e.address, '10.0.0.5');
    return true;
  });
  await assert.rejects(assertTargetAllowed(new URL('https://rebind.example.com/x'), [], resolve), SsrfBlockedError);
  await assertTargetAllowed(new URL('https://mixed.example.com/x'), ['mixed.example.com'], resolve);
  await assertTargetAllowed(new URL('https://mixed.example.com:8443/x'), ['mixed.example.com:8443'], resolve);
  await assert.rejects(assertTargetAllowed(new URL('https://nowhere.example.com/x'), [], resolve), (e: unknown) => {
    assert.ok(e instanceof HostLookupError);
    assert.equal(e.code, 'ENOTFOUND');
    return true;
  });
  // Literal addresses and localhost are refused without a lookup.
  const never = async (): Promise<never> => assert.fail('no lookup for a literal address');
  await assert.rejects(assertTargetAllowed(new URL('http://169.254.169.254/'), [], never), SsrfBlockedError);
  await assert.rejects(assertTargetAllowed(new URL('http://app.localhost/'), [], never), SsrfBlockedError);
  await assertTargetAllowed(new URL('http://8.8.8.8/'), [], never);
});
