import { LocalPort } from '../bridge/local.js';
import { CsApi } from '../datacenter/client.js';
import { runDeployment, type StepEvent } from '../datacenter/deploy.js';
import { readMarvinConfig, type MarvinConfig } from '../datacenter/marvin.js';
import { claimDatacenterBuild, datacenterBuilt, datacenterPending } from '../services/seed.js';
import { specFile } from '../specs.js';
import { accountStore } from '../store/account.store.js';
import type { Services } from './services.js';

/** The two zones the CloudStack simulator offers, renamed so a user can tell them apart. */
export function defaultDatacenters(): MarvinConfig[] {
  const adv = readMarvinConfig(specFile('cloudstack', 'marvin', 'advanced.cfg'));
  const basic = readMarvinConfig(specFile('cloudstack', 'marvin', 'basic.cfg'));
  adv.zones[0]!.name = 'Sandbox-simulator-advanced';
  basic.zones[0]!.name = 'Sandbox-simulator-basic';
  // Only one set of global settings can win; the advanced zone's is the one CloudStack CI uses.
  basic.globalConfig = [];
  return [adv, basic];
}

/** What `serve --datacenter` asks for: a Marvin config, `none` for no zones at all, or the default two. */
export function datacentersFor(file: string | undefined): MarvinConfig[] {
  if (!file) return defaultDatacenters();
  if (file === 'none') return [];
  return [readMarvinConfig(file)];
}

/**
 * Builds the data center a freshly seeded database waits for, through the CloudStack API in this
 * process, in Marvin's order: the same commands `polystack datacenter deploy` sends over HTTP, so a
 * zone comes to be one way only. A database already built is left alone.
 */
export async function buildPendingDatacenters(services: Services, configs: MarvinConfig[], onStep?: (e: StepEvent) => void): Promise<boolean> {
  if (!(await datacenterPending(services.store))) return false;
  if (!(await claimDatacenterBuild(services.store, Date.now()))) {
    // Another node is building it (nodes started together on a new PostgreSQL database).
    while (await datacenterPending(services.store)) await new Promise((r) => setTimeout(r, 200));
    return false;
  }
  const root = await accountStore.rootDomain(services.store.db);
  const admin = root && (await accountStore.userByName(services.store.db, 'admin', root.id));
  if (!admin?.user.apiKey || !admin.user.secretKey) throw new Error('the admin user has no API keys to build the data center with');
  const api = new CsApi(new LocalPort(services), { apiKey: admin.user.apiKey, secretKey: admin.user.secretKey }, 1, (id) => services.jobs.wait(id, 1));
  for (const cfg of configs) await runDeployment(api, cfg, onStep);
  await datacenterBuilt(services.store);
  return true;
}
