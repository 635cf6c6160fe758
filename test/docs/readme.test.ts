import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { it } from 'node:test';
import { banner } from '../../src/cli/banner.js';
import { resolveConfig } from '../../src/server/config.js';

const README = new URL('../../README.md', import.meta.url);

it("the README's first screen shows the two commands, the start banner as `serve` prints it, and a screenshot of the console that exists", () => {
  const text = readFileSync(README, 'utf8');
  const firstScreen = text.slice(0, text.indexOf('## What it is'));
  assert.match(firstScreen, /npm ci && npm start/);
  assert.match(firstScreen, /npm ci && npm test/);
  const shown = /```text\n(polystack ready on [^\n]+\n[\s\S]*?)```/.exec(firstScreen)?.[1];
  assert.ok(shown, 'the banner is on the first screen');
  const url = 'http://127.0.0.1:8080';
  const printed = `polystack ready on ${url}\n${banner(resolveConfig({}, {}), url)}`.trimEnd();
  // The data line names the home directory of whoever runs `npm start`; every other line is verbatim.
  const dataLine = (s: string) =>
    s.split('\n').map((l) => (l.startsWith('  data  ') ? l.replace(/\S+\/\.polystack\//, '~/.polystack/') : l));
  assert.deepEqual(dataLine(shown.trimEnd()), dataLine(printed));
  const shot = /!\[[^\]]*console[^\]]*\]\((docs\/public\/screenshots\/[\w-]+\.png)\)/.exec(firstScreen)?.[1];
  assert.ok(shot, 'a screenshot of the console is on the first screen');
  assert.ok(existsSync(new URL(`../../${shot}`, import.meta.url)), `${shot} exists`);
});
