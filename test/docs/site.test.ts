import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pages } from './samples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'polystack-site-'));
after(() => rmSync(out, { recursive: true, force: true }));

it(
  'the docs site builds (npm run docs:build), with no dead links, a page for every Markdown file and the GAPS.md included',
  { timeout: 300_000 },
  () => {
    // VitePress fails the build on a dead internal link.
    const r = spawnSync('npm', ['run', 'docs:build', '--', '--outDir', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 280_000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    for (const page of [
      ...pages(join(ROOT, 'docs')),
      'reference/configuration.md',
      'reference/errors.md',
      'coverage/gce.md',
    ])
      assert.ok(existsSync(join(out, page.replace(/\.md$/, '.html'))), `${page} was not rendered`);
    assert.match(readFileSync(join(out, 'gaps/gce.html'), 'utf8'), /Not served, and why/);
    assert.match(
      readFileSync(join(out, 'coverage/cloudstack.html'), 'utf8'),
      /of the 722 commands of CloudStack 4\.18 are implemented/,
    );
  },
);
