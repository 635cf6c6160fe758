import { detailsOf, RATE_KEYS, type Rates } from '../../domain/offerings.js';
import type { Params } from '../params.js';
import { list, object, success, type CommandDef } from '../command.js';
import { diskOfferingView, serviceOfferingView } from '../views/offering.view.js';
import { paging, slice, uuidList } from './common.js';

/** The twelve bytes/iops read/write rate parameters, as sent (lower case on the wire). */
function ratesOf(p: Params): Rates {
  const out: Rates = {};
  for (const k of RATE_KEYS) {
    const v = p.int(k.toLowerCase());
    if (v !== undefined) out[k] = v;
  }
  return out;
}

// Offerings are admin commands: root admins, and roles of type Admin their rules allow. A domain
// admin given them by a role's rules is held to its own domains by the service, as CloudStack does.
export const offeringCommands: CommandDef[] = [
  {
    name: 'createServiceOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      const o = await services.serviceOfferings.create(caller, {
        name: p.req('name'),
        displayText: p.str('displaytext'),
        cpuNumber: p.int('cpunumber'),
        cpuSpeed: p.int('cpuspeed'),
        memory: p.int('memory'),
        customized: p.bool('customized'),
        minCpuNumber: p.int('mincpunumber'),
        maxCpuNumber: p.int('maxcpunumber'),
        minMemory: p.int('minmemory'),
        maxMemory: p.int('maxmemory'),
        storageType: p.str('storagetype'),
        offerHa: p.bool('offerha'),
        limitCpuUse: p.bool('limitcpuuse'),
        isVolatile: p.bool('isvolatile'),
        tags: p.str('tags'),
        hostTags: p.str('hosttags'),
        domainIds: uuidList(p, 'domainid'),
        zoneIds: uuidList(p, 'zoneid'),
        isSystem: p.bool('issystem'),
        systemVmType: p.str('systemvmtype'),
        networkRate: p.int('networkrate'),
        deploymentPlanner: p.str('deploymentplanner'),
        details: detailsOf(p.map('serviceofferingdetails')),
        rootDiskSize: p.int('rootdisksize'),
        provisioningType: p.str('provisioningtype'),
        customizedIops: p.bool('customizediops'),
        minIops: p.int('miniops'),
        maxIops: p.int('maxiops'),
        rates: ratesOf(p),
        hypervisorSnapshotReserve: p.int('hypervisorsnapshotreserve'),
        cacheMode: p.str('cachemode'),
        dynamicScalingEnabled: p.bool('dynamicscalingenabled'),
        diskOfferingId: p.uuid('diskofferingid'),
        diskOfferingStrictness: p.bool('diskofferingstrictness'),
        encryptRoot: p.bool('encryptroot'),
        storagePolicy: p.uuid('storagepolicy'),
      });
      return object('serviceoffering', await serviceOfferingView(services.lookup(), o));
    },
  },
  {
    name: 'updateServiceOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      const o = await services.serviceOfferings.update(caller, p.req('id'), {
        name: p.str('name'),
        displayText: p.str('displaytext'),
        sortKey: p.int('sortkey'),
        domainIds: p.str('domainid'),
        zoneIds: p.str('zoneid'),
        hostTags: p.str('hosttags'),
        storageTags: p.str('storagetags'),
      });
      return object('serviceoffering', await serviceOfferingView(services.lookup(), o));
    },
  },
  {
    name: 'deleteServiceOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      await services.serviceOfferings.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'listServiceOfferings',
    async handle({ caller, services, params: p }) {
      const all = await services.catalog.serviceOfferings(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        keyword: p.str('keyword'),
        zoneId: p.uuid('zoneid'),
        domainId: p.uuid('domainid'),
        isSystem: p.bool('issystem'),
        systemVmType: p.str('systemvmtype'),
        vmId: p.uuid('virtualmachineid'),
        cpuNumber: p.int('cpunumber'),
        cpuSpeed: p.int('cpuspeed'),
        memory: p.int('memory'),
      });
      const lk = services.lookup();
      return list(
        'serviceoffering',
        await Promise.all(slice(all, paging(p, services)).map((o) => serviceOfferingView(lk, o))),
        all.length,
      );
    },
  },
  {
    name: 'createDiskOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      const o = await services.diskOfferings.create(caller, {
        name: p.req('name'),
        displayText: p.req('displaytext'),
        diskSize: p.int('disksize'),
        customized: p.bool('customized'),
        customizedIops: p.bool('customizediops'),
        minIops: p.int('miniops'),
        maxIops: p.int('maxiops'),
        tags: p.str('tags'),
        storageType: p.str('storagetype'),
        provisioningType: p.str('provisioningtype'),
        domainIds: uuidList(p, 'domainid'),
        zoneIds: uuidList(p, 'zoneid'),
        rates: ratesOf(p),
        cacheMode: p.str('cachemode'),
        hypervisorSnapshotReserve: p.int('hypervisorsnapshotreserve'),
        details: detailsOf(p.map('details')),
        displayOffering: p.bool('displayoffering'),
        encrypt: p.bool('encrypt'),
        diskSizeStrictness: p.bool('disksizestrictness'),
        storagePolicy: p.uuid('storagepolicy'),
      });
      return object('diskoffering', await diskOfferingView(services.lookup(), o));
    },
  },
  {
    name: 'updateDiskOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      const o = await services.diskOfferings.update(caller, p.req('id'), {
        name: p.str('name'),
        displayText: p.str('displaytext'),
        sortKey: p.int('sortkey'),
        displayOffering: p.bool('displayoffering'),
        domainIds: p.str('domainid'),
        zoneIds: p.str('zoneid'),
        tags: p.str('tags'),
        rates: ratesOf(p),
        cacheMode: p.str('cachemode'),
      });
      return object('diskoffering', await diskOfferingView(services.lookup(), o));
    },
  },
  {
    name: 'deleteDiskOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      await services.diskOfferings.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'listDiskOfferings',
    async handle({ caller, services, params: p }) {
      const all = await services.catalog.diskOfferings(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        keyword: p.str('keyword'),
        zoneId: p.uuid('zoneid'),
        domainId: p.uuid('domainid'),
        encrypt: p.bool('encrypt'),
        storageId: p.uuid('storageid'),
      });
      const lk = services.lookup();
      return list(
        'diskoffering',
        await Promise.all(slice(all, paging(p, services)).map((o) => diskOfferingView(lk, o))),
        all.length,
      );
    },
  },
];
