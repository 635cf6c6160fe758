import { addConfiguration } from '../../store/catalog.store.js';
import type { Db } from '../../store/db.js';
import { regionStore } from '../../store/region.store.js';
import { scopeOf } from '../infrastructure/settings.scopes.js';
import { ensureDefaultRoles } from './role.service.js';
import { LIMIT_SETTINGS } from '../resources.js';

/** Project settings CloudStack ships (Config.java). */
export const PROJECT_SETTINGS = [
  {
    name: 'project.invite.required',
    value: 'false',
    category: 'Project Defaults',
    description: 'If invitation confirmation is required when add account to project. Default value is false',
  },
  {
    name: 'allow.user.create.projects',
    value: 'true',
    category: 'Project Defaults',
    description: 'If regular user can create a project; true by default',
  },
  {
    name: 'cluster.cpu.allocated.capacity.notificationthreshold',
    value: '0.75',
    category: 'Alert',
    description:
      'Percentage (as a value between 0 and 1) of cpu utilization above which alerts will be sent about low cpu available.',
  },
  {
    name: 'cluster.memory.allocated.capacity.notificationthreshold',
    value: '0.75',
    category: 'Alert',
    description:
      'Percentage (as a value between 0 and 1) of memory utilization above which alerts will be sent about low memory available.',
  },
  {
    name: 'zone.virtualnetwork.publicip.capacity.notificationthreshold',
    value: '0.75',
    category: 'Alert',
    description:
      'Percentage (as a value between 0 and 1) of public IP address space utilization above which alerts will be sent.',
  },
];

/** The organisation's seed, for new databases and for those seeded before it existed: default roles and the limit settings. */
/** The region every install starts with (create-schema's region 1), which a reset to the seed brings back. */
export async function ensureLocalRegion(db: Db): Promise<void> {
  await regionStore.insertIfAbsent(db, {
    id: '1',
    name: 'Local',
    endpoint: 'http://localhost:8080/client/',
    gslbEnabled: 1,
    portableIpEnabled: 0,
  });
}

export async function ensureOrganisation(db: Db, now: number, userApis: string[]): Promise<void> {
  await ensureDefaultRoles(db, now, userApis);
  for (const c of [...LIMIT_SETTINGS, ...PROJECT_SETTINGS]) {
    await addConfiguration(db, { ...c, scope: scopeOf(c.name) });
  }
}
