// The web console's tests drive headless Chromium through bench/lib/browser.ts (shared with the bench).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../bench/lib/browser.js';

export { loginConsole as login } from '../../bench/lib/browser.js';

/** Screenshots and other files a run leaves behind for people to look at (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return launchChromium();
}

export const artifact = (name: string): string => join(ARTIFACTS, name);

/**
 * Where a page's screenshot for the docs site goes: docs/public/screenshots/ when
 * POLYSTACK_DOCS_SCREENSHOTS=1 (to refresh the committed ones), else the run's artifacts, so an
 * ordinary test run leaves the tracked pictures alone (their ids and times change every run).
 */
export const DOCS_SHOTS = process.env['POLYSTACK_DOCS_SCREENSHOTS'] === '1';
export const SHOTS = DOCS_SHOTS
  ? fileURLToPath(new URL('../../docs/public/screenshots/', import.meta.url))
  : join(ARTIFACTS, 'screenshots/');

/**
 * A browser context for a test. Playwright's 30 s default was too short on CI's two loaded cores
 * (a full-page screenshot and a wait for a filtered table each ran past it, 2026-12-07); every
 * step a test takes gets 90 s, which a hung page still exceeds.
 */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  context.setDefaultTimeout(90_000);
  return context;
}

/** A page that records uncaught errors, so a test can assert the console never broke. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/**
 * A page that records uncaught errors and everything the browser logs as an error or warning (an
 * invalid `pattern`, a failed request, React's warnings): the console must leave the browser's
 * console empty. newPage records uncaught errors only.
 */
export async function watchedPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newPage(browser);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      errors.push(`console.${m.type()} on ${page.url()}: ${m.text()}`);
  });
  return { page, errors };
}
