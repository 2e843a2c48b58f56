// Issue #24: with amoCRM's mode=post_message the consent runs in a popup, and the page it lands on tells its opener
// the outcome (window.opener.postMessage), so a quiz UI need not poll. The page's script is the hub's own file (the
// page's CSP forbids inline scripts); here it runs against a stand-in window whose opener records the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { quizHub } from './helpers.js';
import { connectedPage } from '../../../src/modules/quiz/pages.js';

/** Runs the result script for a page's HTML; returns what the opener received. */
function messagesFor(script: string, html: string, withOpener = true): Array<[unknown, string]> {
  const result = /data-amo-result="([^"]*)"/.exec(html)![1]!.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)));
  const received: Array<[unknown, string]> = [];
  const window: Record<string, unknown> = {};
  window.opener = withOpener
    ? { postMessage: (m: unknown, origin: string) => received.push([JSON.parse(JSON.stringify(m)), origin]) }
    : null;
  runInNewContext(script, { window, document: { body: { getAttribute: (n: string) => (n === 'data-amo-result' ? result : null) } } });
  return received;
}

test('consent result pages post the outcome to the popup’s opener through the hub’s own script', async (t) => {
  const h = await quizHub(t);
  const js = await h.app.inject({ method: 'GET', url: '/connect/amocrm/result.js' });
  assert.equal(js.statusCode, 200);
  assert.match(String(js.headers['content-type']), /^application\/javascript/);

  const declined = await h.app.inject({ method: 'GET', url: '/quiz/webhook/create?error=access_denied&state=quiz%3Aacc-1' });
  assert.equal(declined.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(declined.body, /<script src="\/connect\/amocrm\/result\.js"><\/script>/);
  assert.match(String(declined.headers['content-security-policy']), /script-src 'self'/, 'the page may load the hub’s script');
  assert.deepEqual(messagesFor(js.body, declined.body), [[{ source: 'integration-hub', event: 'amocrm:connect', status: 'failed' }, '*']]);

  const connected = connectedPage({ name: 'Тест', subdomain: 'test"<x>' });
  assert.deepEqual(messagesFor(js.body, connected), [
    [{ source: 'integration-hub', event: 'amocrm:connect', status: 'connected', subdomain: 'test"<x>' }, '*'],
  ]);
  assert.deepEqual(messagesFor(js.body, connected, false), [], 'opened without a popup: nothing to tell');
});
