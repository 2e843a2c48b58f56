import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { settingsMarkdown } from '../../src/config.js';
import { settingGroups } from '../../src/app.js';

test('the README settings table matches the platform’s, connectors’ and modules’ declarations', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- settings:start -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(readme)?.[1];
  assert.equal(block, settingsMarkdown(settingGroups()), 'regenerate the README table from settingsMarkdown() (hub config)');
});
