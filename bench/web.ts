// Web console figures for `npm run bench`: the instance list over 10,000 VMs in headless Chromium.
import {
  haveChromium,
  launchChromium,
  loginConsole,
  measureInstanceList,
  type InstanceListFigures,
} from './lib/browser.js';
import { startSeeded } from './lib/server.js';

export const WEB_VMS = 10_000;

/** (j) first page of the instance list, answer cache off; undefined when chromium is not installed. */
export async function webInstanceList(
  runs: number,
): Promise<(InstanceListFigures & { vms: number; browser: string }) | undefined> {
  if (!haveChromium()) return undefined;
  const p = await startSeeded(WEB_VMS, { POLYSTACK_RESPONSE_CACHE: 'off' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await loginConsole(page, p.url);
    return {
      ...(await measureInstanceList(page, p.url, WEB_VMS, runs)),
      vms: WEB_VMS,
      browser: `Chromium ${browser.version()}`,
    };
  } finally {
    await browser.close();
    await p.stop();
  }
}
