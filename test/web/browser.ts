// Headless Chromium (Debian's `chromium` package, installed by scripts/install-test-deps.sh) driven by
// playwright-core, which ships no browser of its own.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['POLYSTACK_CHROMIUM'] ?? '/usr/bin/chromium';
/** Screenshots and other files a run leaves behind for people to look at (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export const artifact = (name: string): string => join(ARTIFACTS, name);

/** A page that records uncaught errors, so a test can assert the console never broke. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Logs in through the form, with the keyboard only, and waits for the dashboard. */
export async function login(page: Page, base: string, username = 'admin', password = 'password', domain = ''): Promise<void> {
  await page.goto(`${base}/client/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  if (domain) await page.getByLabel('Domain').fill(domain);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}
