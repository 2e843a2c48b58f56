import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safePath } from '../../src/platform/observability/safe-path.js';

test('logged request paths mask credentials in the query and keep the rest', () => {
  assert.equal(
    safePath('/connect/amocrm/callback?code=def50200abc&referer=x.amocrm.ru&state=s3&client_id=c'),
    '/connect/amocrm/callback?code=***&referer=x.amocrm.ru&state=***&client_id=c',
  );
  assert.equal(
    safePath('/quiz/webhook/delete?client_uuid=u&account_id=1&signature=ff'),
    '/quiz/webhook/delete?client_uuid=u&account_id=1&signature=***',
  );
  assert.equal(safePath('/api/v1/tracking/1?page=2&api_key=tb_x'), '/api/v1/tracking/1?page=2&api_key=***');
  assert.equal(safePath('/api/v1/tracking/1?page=2'), '/api/v1/tracking/1?page=2');
  assert.equal(safePath('/healthz'), '/healthz');
});
