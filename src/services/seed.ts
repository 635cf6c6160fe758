import { newId } from '../domain/ids.js';
import { scopeOf } from './infrastructure/settings.scopes.js';
import type { Account, Flag } from '../domain/types.js';
import { accountStore, domainRows, accountRows, userRows } from '../store/account.store.js';
import type { Store } from '../store/db.js';
import { sequenceStore, nextSeq } from '../store/sequence.store.js';
import { addConfiguration, diskOfferingRows, serviceOfferingRows, configurationRows } from '../store/catalog.store.js';
import {
  DEFAULT_CONFIG,
  DISK_OFFERINGS,
  NETWORK_OFFERINGS,
  OS_TYPES,
  SERVICE_OFFERINGS,
  TEMPLATES,
} from './infrastructure/catalog.seed.js';
import { ensureNetworkingCatalog } from './network/networking.seed.js';
import { ensureLocalRegion, ensureOrganisation } from './identity/organisation.seed.js';
import { ensureAutoScaleCounters } from './compute/autoscale.seed.js';
import { hashPassword, newApiKey, NO_LOGIN } from './identity/passwords.js';
import { defaultGroupRules } from './network/securitygroup.service.js';
import { securityGroupRows, securityGroupRuleRows } from '../store/securitygroup.store.js';
import { networkOfferingRows } from '../store/network.store.js';
import { osTypeRows } from '../store/lookup.store.js';
import { templateRows } from '../store/template.store.js';

export interface SeedOptions {
  now: number;
  adminApiKey?: string;
  adminSecretKey?: string;
  /** The commands the User role may call; the read-only and support user roles are made of them. */
  userApis?: string[];
  /** The database is an image this very code seeded (a prebuilt cloud): nothing in it to bring up to date. */
  current?: boolean;
}

/** Set by a fresh seed, cleared once its data center has been built through the API. */
const DATACENTER_PENDING = 'datacenter.pending';

/**
 * Seeds an empty database with accounts, offerings, templates and settings; a seeded one only gets
 * the admin keys refreshed. Zones are not written here: they are built through the infrastructure
 * API afterwards (src/server/datacenters.ts), the one way a zone comes to be.
 */
export async function seed(store: Store, opts: SeedOptions): Promise<void> {
  const existing = await accountStore.rootDomain(store.db);
  if (existing && opts.current) return applyAdminKeys(store, opts);
  if (existing) {
    // Databases seeded before VPCs existed get the VPC catalogue here.
    await store.tx(async (trx) => {
      await ensureNetworkingCatalog(trx, opts.now);
      await ensureAutoScaleCounters(trx, opts.now);
      // Settings added by later versions (the storage delays and limits) reach databases seeded before them.
      for (const c of DEFAULT_CONFIG) await addConfiguration(trx, { ...c, scope: scopeOf(c.name) });
      await ensureOrganisation(trx, opts.now, opts.userApis ?? []);
    });
    await applyAdminKeys(store, opts);
    return;
  }
  const { now } = opts;
  const seeded = await store.tx(async (trx) => {
    // Nodes starting together on a new database: the first seeds, the others wait on this row and find it done.
    await nextSeq(trx, 'seed');
    if (await accountStore.rootDomain(trx)) return false;
    const root = {
      id: newId(),
      seq: await nextSeq(trx, 'domain'),
      name: 'ROOT',
      path: 'ROOT',
      parentId: null,
      level: 0,
      state: 'Active',
      created: now,
      networkDomain: null,
      removed: null,
    };
    await domainRows.insert(trx, root);
    const system: Account = {
      id: newId(),
      name: 'system',
      type: 1,
      domainId: root.id,
      state: 'enabled',
      created: now,
      removed: null,
    };
    const admin: Account = {
      id: newId(),
      name: 'admin',
      type: 1,
      domainId: root.id,
      state: 'enabled',
      created: now,
      removed: null,
    };
    await accountRows.insert(trx, system);
    await accountRows.insert(trx, admin);
    await userRows.insert(trx, {
      id: newId(),
      accountId: system.id,
      username: 'system',
      passwordHash: NO_LOGIN,
      firstname: 'system',
      lastname: 'cloud',
      email: null,
      apiKey: null,
      secretKey: null,
      state: 'enabled',
      created: now,
      timezone: null,
      removed: null,
      loginAttempts: 0,
    });
    await userRows.insert(trx, {
      id: newId(),
      accountId: admin.id,
      username: 'admin',
      passwordHash: hashPassword('password'),
      firstname: 'admin',
      lastname: 'cloud',
      email: null,
      apiKey: opts.adminApiKey ?? newApiKey(),
      secretKey: opts.adminSecretKey ?? newApiKey(),
      state: 'enabled',
      created: now,
      timezone: null,
      removed: null,
      loginAttempts: 0,
    });
    const sg = {
      id: newId(),
      name: 'default',
      description: 'Default Security Group',
      accountId: admin.id,
      domainId: root.id,
      created: now,
    };
    await securityGroupRows.insert(trx, sg);
    for (const r of defaultGroupRules(sg.id, now)) await securityGroupRuleRows.insert(trx, r);

    for (const o of SERVICE_OFFERINGS) {
      // Each compute offering has its disk half, as in CloudStack 4.17 and later; listDiskOfferings hides it.
      const disk = {
        id: newId(),
        name: o.name,
        displayText: o.displayText,
        diskSize: 0,
        isCustomized: 0 as const,
        storageType: 'shared',
        state: 'Active',
        created: now,
        computeOnly: 1 as const,
        provisioningType: 'thin',
      };
      await diskOfferingRows.insert(trx, disk);
      await serviceOfferingRows.insert(trx, {
        id: newId(),
        ...o,
        storageType: 'shared',
        offerHa: 0,
        limitCpuUse: 0,
        isSystem: 0,
        isCustomized: 0,
        rootDiskSize: null,
        state: 'Active',
        created: now,
        diskOfferingId: disk.id,
      });
    }
    for (const o of DISK_OFFERINGS)
      await diskOfferingRows.insert(trx, {
        id: newId(),
        ...o,
        storageType: 'shared',
        state: 'Active',
        created: now,
      });
    for (const o of NETWORK_OFFERINGS) {
      await networkOfferingRows.insert(trx, {
        id: newId(),
        name: o.name,
        displayText: o.displayText,
        guestIpType: o.guestIpType,
        trafficType: 'Guest',
        state: 'Enabled',
        availability: o.availability,
        isDefault: o.isDefault,
        specifyVlan: o.specifyVlan,
        specifyIpRanges: o.specifyIpRanges,
        conserveMode: 1,
        egressDefaultPolicy: 0 as Flag,
        forVpc: o.forVpc,
        services: JSON.stringify(o.services),
        created: now,
      });
    }
    const categories = new Map<string, string>();
    const osIds = new Map<string, string>();
    for (const os of OS_TYPES) {
      if (!categories.has(os.category)) categories.set(os.category, newId());
      const id = newId();
      osIds.set(os.description, id);
      await osTypeRows.insert(trx, {
        id,
        description: os.description,
        categoryId: categories.get(os.category)!,
        categoryName: os.category,
      });
    }
    for (const t of TEMPLATES) {
      await templateRows.insert(trx, {
        id: newId(),
        seq: await nextSeq(trx, 'template'),
        name: t.name,
        displayText: t.displayText,
        isPublic: t.isPublic,
        isFeatured: t.isFeatured,
        isReady: 1,
        format: t.format,
        hypervisor: 'Simulator',
        osTypeId: osIds.get(t.os)!,
        zoneId: null,
        templateType: t.templateType,
        passwordEnabled: t.passwordEnabled,
        sshKeyEnabled: 0,
        size: t.size,
        accountId: system.id,
        domainId: root.id,
        bootable: 1,
        crossZones: 1,
        isIso: t.isIso,
        url: null,
        created: now,
        removed: null,
      });
    }
    for (const c of DEFAULT_CONFIG) await configurationRows.insert(trx, { ...c, scope: scopeOf(c.name) });
    await ensureNetworkingCatalog(trx, now);
    await ensureAutoScaleCounters(trx, now);
    await ensureOrganisation(trx, now, opts.userApis ?? []);
    await ensureLocalRegion(trx);
    await sequenceStore.insert(trx, { name: DATACENTER_PENDING, value: 1 });
    return true;
  });
  if (!seeded) await seed(store, opts);
}

/** Admin keys of this cloud's own: a copy of a prebuilt image must not answer to the keys its build drew. */
export async function drawAdminKeys(store: Store): Promise<void> {
  await applyAdminKeys(store, { now: 0, adminApiKey: newApiKey(), adminSecretKey: newApiKey() });
}

async function applyAdminKeys(store: Store, opts: SeedOptions): Promise<void> {
  if (!opts.adminApiKey && !opts.adminSecretKey) return;
  const root = await accountStore.rootDomain(store.db);
  const admin = root && (await accountStore.userByName(store.db, 'admin', root.id));
  if (!admin) return;
  await store.tx((trx) =>
    userRows.update(trx, admin.user.id, {
      ...(opts.adminApiKey ? { apiKey: opts.adminApiKey } : {}),
      ...(opts.adminSecretKey ? { secretKey: opts.adminSecretKey } : {}),
    }),
  );
}

/** Whether this database still waits for its first data center (a fresh seed whose build has not finished). */
export async function datacenterPending(store: Store): Promise<boolean> {
  return sequenceStore.has(store.db, DATACENTER_PENDING);
}

export async function datacenterBuilt(store: Store): Promise<void> {
  await store.tx(async (trx) => {
    await sequenceStore.remove(trx, DATACENTER_PENDING);
    await sequenceStore.remove(trx, DATACENTER_BUILDER);
  });
}

const DATACENTER_BUILDER = 'datacenter.builder';
/** A builder silent this long (ms) is taken to have died; another node builds instead. */
const BUILDER_STALE_MS = 10 * 60_000;

/**
 * Nodes starting together on one new database: the first to claim the build does it, the others
 * wait for it to finish (two builds would create every zone twice). A claim older than
 * BUILDER_STALE_MS belonged to a node that died mid-build and is taken over.
 */
export async function claimDatacenterBuild(store: Store, now: () => number): Promise<boolean> {
  return store.tx(async (trx) => {
    // The pending marker, locked: a builder finishing deletes it and its claim in one transaction,
    // so a node that read "pending" before that commit must not claim the build afterwards
    // (it did, and built every zone a second time: "A zone with that name already exists").
    if (!(await sequenceStore.lock(trx, DATACENTER_PENDING))) return false;
    await sequenceStore.removeIfBelow(trx, DATACENTER_BUILDER, now() - BUILDER_STALE_MS);
    return sequenceStore.insertIfAbsent(trx, DATACENTER_BUILDER, now());
  });
}
