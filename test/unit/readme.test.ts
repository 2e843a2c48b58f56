import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsMarkdown } from '../../src/config.js';
import { settingGroups } from '../../src/app.js';

test('the README settings table matches the platform’s, connectors’ and modules’ declarations', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /<!-- settings:start -->\n([\s\S]*?)\n<!-- settings:end -->/.exec(readme)?.[1];
  assert.equal(block, settingsMarkdown(settingGroups()), 'regenerate the README table from settingsMarkdown() (hub config)');
});

test("the docs name files relative to the repository, never by a machine's absolute path", () => {
  const root = new URL('../../', import.meta.url).pathname;
  const files = ['README.md', ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' }).map((f) => join('docs', f))];
  const found: string[] = [];
  for (const file of files.filter((f) => /\.(md|ts)$/.test(f))) {
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/(^|[\s(`'"])\/(work|home|root|tmp|Users|var|opt)\//.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(found, []);
});
