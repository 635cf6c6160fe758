import { specFile } from '../specs.js';
import { newId } from '../domain/ids.js';
import type { Account, Flag } from '../domain/types.js';
import { accountStore } from '../store/account.store.js';
import type { Store } from '../store/db.js';
import { insertRow, nextSeq, updateRow } from '../store/repo.js';
import { addConfiguration } from '../store/catalog.store.js';
import { DEFAULT_CONFIG, DISK_OFFERINGS, NETWORK_OFFERINGS, OS_TYPES, SERVICE_OFFERINGS, TEMPLATES } from './catalog.seed.js';
import { buildZone } from './datacenter.build.js';
import { ensureNetworkingCatalog } from './networking.seed.js';
import { readMarvinConfig, type MarvinConfig } from './marvin.js';
import { hashPassword, newApiKey, NO_LOGIN } from './passwords.js';
import { defaultGroupRules } from './securitygroup.service.js';


export interface SeedOptions {
  now: number;
  adminApiKey?: string;
  adminSecretKey?: string;
  /** Marvin configs to build; default: the simulator's advanced and basic zones. */
  datacenters?: MarvinConfig[];
}

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

/** Seeds an empty database with a working cloud; a seeded one only gets the admin keys refreshed. */
export async function seed(store: Store, opts: SeedOptions): Promise<void> {
  const existing = await accountStore.rootDomain(store.db);
  if (existing) {
    // Databases seeded before VPCs existed get the VPC catalogue here, and settings added since.
    await store.tx(async (trx) => {
      await ensureNetworkingCatalog(trx, opts.now);
      for (const c of DEFAULT_CONFIG) await addConfiguration(trx, { ...c, scope: 'Global' });
    });
    await applyAdminKeys(store, opts);
    return;
  }
  const { now } = opts;
  await store.tx(async (trx) => {
    const root = { id: newId(), name: 'ROOT', path: 'ROOT', parentId: null, level: 0, state: 'Active', created: now };
    await insertRow(trx, 'domains', root);
    const system: Account = { id: newId(), name: 'system', type: 1, domainId: root.id, state: 'enabled', created: now, removed: null };
    const admin: Account = { id: newId(), name: 'admin', type: 1, domainId: root.id, state: 'enabled', created: now, removed: null };
    await insertRow(trx, 'accounts', system);
    await insertRow(trx, 'accounts', admin);
    await insertRow(trx, 'users', {
      id: newId(), accountId: system.id, username: 'system', passwordHash: NO_LOGIN, firstname: 'system', lastname: 'cloud',
      email: null, apiKey: null, secretKey: null, state: 'enabled', created: now, timezone: null, removed: null,
    });
    await insertRow(trx, 'users', {
      id: newId(), accountId: admin.id, username: 'admin', passwordHash: hashPassword('password'), firstname: 'admin', lastname: 'cloud',
      email: null, apiKey: opts.adminApiKey ?? newApiKey(), secretKey: opts.adminSecretKey ?? newApiKey(), state: 'enabled', created: now, timezone: null, removed: null,
    });
    const sg = { id: newId(), name: 'default', description: 'Default Security Group', accountId: admin.id, domainId: root.id, created: now };
    await insertRow(trx, 'securityGroups', sg);
    for (const r of defaultGroupRules(sg.id, now)) await insertRow(trx, 'securityGroupRules', r);

    for (const o of SERVICE_OFFERINGS) {
      await insertRow(trx, 'serviceOfferings', {
        id: newId(), ...o, storageType: 'shared', offerHa: 0, limitCpuUse: 0, isSystem: 0, isCustomized: 0, rootDiskSize: null, state: 'Active', created: now,
      });
    }
    for (const o of DISK_OFFERINGS) await insertRow(trx, 'diskOfferings', { id: newId(), ...o, storageType: 'shared', state: 'Active', created: now });
    const offeringIds = new Map<string, string>();
    for (const o of NETWORK_OFFERINGS) {
      const id = newId();
      offeringIds.set(o.name, id);
      await insertRow(trx, 'networkOfferings', {
        id, name: o.name, displayText: o.displayText, guestIpType: o.guestIpType, trafficType: 'Guest', state: 'Enabled', availability: o.availability,
        isDefault: o.isDefault, specifyVlan: o.specifyVlan, specifyIpRanges: o.specifyIpRanges, conserveMode: 1, egressDefaultPolicy: 0 as Flag, forVpc: o.forVpc,
        services: JSON.stringify(o.services), created: now,
      });
    }
    const categories = new Map<string, string>();
    const osIds = new Map<string, string>();
    for (const os of OS_TYPES) {
      if (!categories.has(os.category)) categories.set(os.category, newId());
      const id = newId();
      osIds.set(os.description, id);
      await insertRow(trx, 'osTypes', { id, description: os.description, categoryId: categories.get(os.category)!, categoryName: os.category });
    }
    for (const t of TEMPLATES) {
      await insertRow(trx, 'templates', {
        id: newId(), seq: await nextSeq(trx, 'template'), name: t.name, displayText: t.displayText, isPublic: t.isPublic, isFeatured: t.isFeatured, isReady: 1,
        format: t.format, hypervisor: 'Simulator', osTypeId: osIds.get(t.os)!, zoneId: null, templateType: t.templateType, passwordEnabled: t.passwordEnabled,
        sshKeyEnabled: 0, size: t.size, accountId: system.id, domainId: root.id, bootable: 1, crossZones: 1, isIso: t.isIso, url: null, created: now, removed: null,
      });
    }
    const configs = new Map(DEFAULT_CONFIG.map((c) => [c.name, c]));
    const dcs = opts.datacenters ?? defaultDatacenters();
    for (const dc of dcs) {
      for (const g of dc.globalConfig ?? []) {
        const base = configs.get(g.name);
        configs.set(g.name, { name: g.name, value: g.value, category: base?.category ?? 'Advanced', description: base?.description ?? '' });
      }
    }
    for (const c of configs.values()) await insertRow(trx, 'configurations', { ...c, scope: 'Global' });
    await ensureNetworkingCatalog(trx, now);
    for (const dc of dcs) {
      for (const z of dc.zones) {
        await buildZone(trx, z, { now, rootDomainId: root.id, sharedSgOfferingId: offeringIds.get('DefaultSharedNetworkOfferingWithSGService')! });
      }
    }
  });
}

async function applyAdminKeys(store: Store, opts: SeedOptions): Promise<void> {
  if (!opts.adminApiKey && !opts.adminSecretKey) return;
  const root = await accountStore.rootDomain(store.db);
  const admin = root && (await accountStore.userByName(store.db, 'admin', root.id));
  if (!admin) return;
  await store.tx((trx) =>
    updateRow(trx, 'users', admin.user.id, {
      ...(opts.adminApiKey ? { apiKey: opts.adminApiKey } : {}),
      ...(opts.adminSecretKey ? { secretKey: opts.adminSecretKey } : {}),
    }),
  );
}
