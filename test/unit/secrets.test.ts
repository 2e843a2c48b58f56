import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretTamperedError, loadOrCreateKeyFile, safeEqual } from '../../src/platform/security/secrets.js';

const box = new SecretBox(randomBytes(32));

test('encrypt/decrypt round trip; ciphertext reveals nothing and differs each time', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.secret-token-value';
  const a = box.encrypt(token, 'amo_accounts:1:access');
  const b = box.encrypt(token, 'amo_accounts:1:access');
  assert.notEqual(a, b, 'random IV per encryption');
  assert.ok(!a.includes('secret-token'), 'no plaintext in the ciphertext');
  assert.match(a, /^v1:/);
  assert.equal(box.decrypt(a, 'amo_accounts:1:access'), token);
});

test('tampering, a wrong context or a wrong key is detected', () => {
  const sealed = box.encrypt('refresh-token', 'ctx:1');
  const raw = Buffer.from(sealed.slice(3), 'base64');
  raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
  assert.throws(() => box.decrypt(`v1:${raw.toString('base64')}`, 'ctx:1'), SecretTamperedError);
  assert.throws(() => box.decrypt(sealed, 'ctx:2'), SecretTamperedError, 'a ciphertext moved to another row fails');
  assert.throws(() => new SecretBox(randomBytes(32)).decrypt(sealed, 'ctx:1'), SecretTamperedError);
  assert.throws(() => box.decrypt('garbage', 'ctx:1'), SecretTamperedError);
});

test('SecretBox accepts hex and base64 keys', () => {
  const key = randomBytes(32);
  const s = SecretBox.fromString(key.toString('hex')).encrypt('x', 'c');
  assert.equal(SecretBox.fromString(key.toString('base64')).decrypt(s, 'c'), 'x');
});

test('embedded key file is created once with mode 0600', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-key-'));
  try {
    const first = loadOrCreateKeyFile(dir);
    assert.equal(first.created, true);
    assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
    const again = loadOrCreateKeyFile(dir);
    assert.equal(again.created, false);
    assert.equal(again.key, first.key);
    assert.equal(Buffer.from(first.key, 'base64').length, 32);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('safeEqual compares exactly', () => {
  assert.equal(safeEqual('abc', 'abc'), true);
  assert.equal(safeEqual('abc', 'abd'), false);
  assert.equal(safeEqual('abc', 'abcd'), false);
});
