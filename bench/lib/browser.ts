// Headless Chromium (Debian's `chromium`, installed by scripts/install-test-deps.sh) driven by
// playwright-core, which ships no browser of its own; shared by the web console's tests and bench.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['POLYSTACK_CHROMIUM'] ?? '/usr/bin/chromium';

export const haveChromium = (): boolean => existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Logs in through the console's form, with the keyboard only, and waits for the dashboard. */
export async function loginConsole(
  page: Page,
  base: string,
  username = 'admin',
  password = 'password',
  domain = '',
): Promise<void> {
  await page.goto(`${base}/client/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  if (domain) await page.getByLabel('Domain').fill(domain);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}

// Runs in the page: the time from `start` until the instance table shows a full first page of
// seeded VMs out of `total`. A string, because tsx would wrap a function in a helper the page lacks.
const firstPageAfter = (start: string, total: string) => `new Promise((resolve) => {
  const t0 = ${start};
  const done = () => {
    const rows = document.querySelectorAll('main table tbody tr');
    if (rows.length === 20 && rows[0].textContent.includes('bench-') && document.body.textContent.includes('of ${total}')) resolve(performance.now() - t0);
    else requestAnimationFrame(done);
  };
  done();
})`;

export interface InstanceListFigures {
  /** Click on Instances in the menu (from a loaded dashboard) to the first page, per run. */
  fromMenuMs: number[];
  /** A fresh document at /client/#/instances, from navigation start to the first page, per run. */
  coldLoadMs: number[];
  /** Next page to rows 21–40. */
  nextPageMs: number;
}

/** Times the console's instance list over seeded `bench-N` VMs, `runs` times each way, in a logged-in page. */
export async function measureInstanceList(
  page: Page,
  base: string,
  vms: number,
  runs: number,
): Promise<InstanceListFigures> {
  const total = vms.toLocaleString('en-US');
  const fromMenuMs: number[] = [];
  const coldLoadMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(`${base}/client/#/`);
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const click = `(() => { const t = performance.now(); document.querySelector('nav[aria-label=Main] a[href="#/instances"]').click(); return t; })()`;
    fromMenuMs.push(Math.round(await page.evaluate<number>(firstPageAfter(click, total))));
    // A new document (the query differs): HTML, scripts and the first page, from the navigation's start.
    await page.goto(`${base}/client/?load=${i}#/instances`);
    coldLoadMs.push(Math.round(await page.evaluate<number>(firstPageAfter('0', total))));
  }
  const nextPageMs = await page.evaluate<number>(`(async () => {
    const t0 = performance.now();
    document.querySelector('button[aria-label="Next page"]').click();
    while (!document.body.textContent.includes('21–40 of ${total}')) await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  })()`);
  return { fromMenuMs, coldLoadMs, nextPageMs: Math.round(nextPageMs) };
}
