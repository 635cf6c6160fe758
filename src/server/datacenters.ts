import { LocalPort } from '../bridge/local.js';
import { CsApi } from '../datacenter/client.js';
import { runDeployment, type StepEvent } from '../datacenter/deploy.js';
import { readMarvinConfig, type MarvinConfig } from '../datacenter/marvin.js';
import { claimDatacenterBuild, datacenterBuilt, datacenterPending } from '../services/seed.js';
import { specFile } from '../specs.js';
import { accountStore } from '../store/account.store.js';
import type { Services } from '../services/services.js';

/** One of the simulator's two zones, renamed so a user can tell it from the other. */
export function simulatorZone(kind: 'advanced' | 'basic'): MarvinConfig {
  const cfg = readMarvinConfig(specFile('cloudstack', 'marvin', `${kind}.cfg`));
  cfg.zones[0]!.name = `Sandbox-simulator-${kind}`;
  return cfg;
}

/** The two zones the CloudStack simulator offers. */
export function defaultDatacenters(): MarvinConfig[] {
  const basic = simulatorZone('basic');
  // Only one set of global settings can win; the advanced zone's is the one CloudStack CI uses.
  basic.globalConfig = [];
  return [simulatorZone('advanced'), basic];
}

/**
 * What `serve --datacenter` asks for: a Marvin config, `none` for no zones at all, `advanced` or `basic` for
 * that simulator zone alone with its own global settings (what CloudStack's CI deploys before it runs a
 * zone's smoke tests), or the default two.
 */
export function datacentersFor(file: string | undefined): MarvinConfig[] {
  if (!file) return defaultDatacenters();
  if (file === 'none') return [];
  if (file === 'advanced' || file === 'basic') return [simulatorZone(file)];
  return [readMarvinConfig(file)];
}

/**
 * Builds the data center a freshly seeded database waits for, through the CloudStack API in this
 * process, in Marvin's order: the same commands `polystack datacenter deploy` sends over HTTP, so a
 * zone comes to be one way only. A database already built is left alone.
 */
export async function buildPendingDatacenters(
  services: Services,
  configs: MarvinConfig[],
  onStep?: (e: StepEvent) => void,
): Promise<boolean> {
  if (!(await datacenterPending(services.store))) return false;
  while (!(await claimDatacenterBuild(services.store, Date.now))) {
    // Another node builds it: wait for its marker to go (or its claim to go stale).
    await new Promise((r) => setTimeout(r, 200));
    if (!(await datacenterPending(services.store))) return false;
  }
  const root = await accountStore.rootDomain(services.store.db);
  const admin = root && (await accountStore.userByName(services.store.db, 'admin', root.id));
  if (!admin?.user.apiKey || !admin.user.secretKey)
    throw new Error('the admin user has no API keys to build the data center with');
  const api = new CsApi(
    new LocalPort(services),
    { apiKey: admin.user.apiKey, secretKey: admin.user.secretKey },
    1,
    (id) => services.jobs.wait(id, 1),
  );
  for (const cfg of configs) await runDeployment(api, cfg, onStep);
  await datacenterBuilt(services.store);
  return true;
}
