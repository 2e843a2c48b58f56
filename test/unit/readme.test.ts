import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { settingsMarkdown } from '../../src/config.js';

test('the README settings table matches src/config.ts', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- settings:start -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(readme)?.[1];
  assert.equal(block, settingsMarkdown(), 'regenerate the README table from settingsMarkdown() (hub config)');
});
