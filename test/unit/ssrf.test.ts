import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertUrlAllowed, isPrivateAddress, SsrfBlockedError } from '../../src/platform/outbound/ssrf.js';

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
  assert.throws(() => assertUrlAllowed(new URL('http://[::1]/'), []), SsrfBlockedError);
  assert.doesNotThrow(() => assertUrlAllowed(new URL('http://127.0.0.1:9001/x'), ['127.0.0.1']));
  assert.doesNotThrow(() => assertUrlAllowed(new URL('http://10.0.0.5:8443/x'), ['10.0.0.5:8443']));
  assert.throws(() => assertUrlAllowed(new URL('http://10.0.0.5:9999/x'), ['10.0.0.5:8443']), SsrfBlockedError);
});
