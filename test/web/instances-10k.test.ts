import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { measureInstanceList } from '../../bench/lib/browser.js';
import { seedVms } from '../../bench/lib/seed-vms.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { artifact, launch, login, newPage } from './browser.js';

const VMS = 10_000;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe(`instance list with ${VMS.toLocaleString()} VMs in the browser`, () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'polystack-web-10k-'));

  before(async () => {
    const first = await startServer({ args: ['--data-dir', dir] });
    await first.stop();
    await seedVms(join(dir, 'polystack.db'), VMS);
    // The list answer cache off: every page below is built from the database, the worst case.
    s = await startServer({ args: ['--data-dir', dir], env: { POLYSTACK_RESPONSE_CACHE: 'off' } });
    browser = await launch();
    ({ page } = await newPage(browser));
    await login(page, s.url);
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the first page in under a second, opened from the menu and loaded cold', async () => {
    const f = await measureInstanceList(page, s.url, VMS, RUNS);
    await page.screenshot({ path: artifact('instances-10k.png'), fullPage: true });
    writeFileSync(artifact('instances-10k.json'), JSON.stringify({ vms: VMS, ...f }, null, 2) + '\n');
    console.log(
      `# first page of ${VMS} VMs: from the menu ${f.fromMenuMs.join(', ')} ms; cold load ${f.coldLoadMs.join(', ')} ms; next page ${f.nextPageMs} ms`,
    );
    assert.ok(median(f.fromMenuMs) < 1000, `from the menu: ${f.fromMenuMs.join(', ')} ms`);
    assert.ok(median(f.coldLoadMs) < 1000, `cold load: ${f.coldLoadMs.join(', ')} ms`);
  });

  it('finds one VM among them by search and filters by state', async () => {
    await page.goto(`${s.url}/client/#/instances`);
    await page.getByLabel('Search').fill('bench-9876');
    await page.getByRole('link', { name: 'bench-9876', exact: true }).waitFor();
    await page.getByText('1–1 of 1', { exact: true }).waitFor();
    await page.getByLabel('Search').fill('');
    await page.getByLabel('State').selectOption('Running');
    await page.getByText('No instance matches.').waitFor();
    await page.getByLabel('State').selectOption('Stopped');
    await page.getByText('1–20 of 10,000', { exact: true }).waitFor();
  });
});
