import { detailsOf } from '../../domain/offerings.js';
import { list, object, success, type CommandDef } from '../command.js';
import { networkOfferingView } from '../views/offering.view.js';
import { paging, slice, uuidList } from './common.js';

export const networkOfferingCommands: CommandDef[] = [
  {
    name: 'createNetworkOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      const o = await services.networkOfferings.create(caller, {
        name: p.req('name'),
        displayText: p.req('displaytext'),
        guestIpType: p.req('guestiptype'),
        trafficType: p.req('traffictype'),
        supportedServices: p.list('supportedservices') ?? [],
        serviceProviders: (p.map('serviceproviderlist') ?? []).map((e) => ({
          service: e['service'] ?? '',
          provider: e['provider'] ?? '',
        })),
        capabilities: (p.map('servicecapabilitylist') ?? []).map((e) => ({
          service: e['service'] ?? '',
          type: e['capabilitytype'] ?? '',
          value: e['capabilityvalue'] ?? '',
        })),
        availability: p.str('availability'),
        specifyVlan: p.bool('specifyvlan'),
        specifyIpRanges: p.bool('specifyipranges'),
        conserveMode: p.bool('conservemode'),
        isPersistent: p.bool('ispersistent'),
        egressDefaultPolicy: p.bool('egressdefaultpolicy'),
        forVpc: p.bool('forvpc'),
        forTungsten: p.bool('fortungsten'),
        tags: p.str('tags'),
        networkRate: p.int('networkrate'),
        serviceOfferingId: p.uuid('serviceofferingid'),
        details: detailsOf(p.map('details')),
        maxConnections: p.int('maxconnections'),
        keepAlive: p.bool('keepaliveenabled'),
        internetProtocol: p.str('internetprotocol'),
        domainIds: uuidList(p, 'domainid'),
        zoneIds: uuidList(p, 'zoneid'),
        enable: p.bool('enable'),
      });
      return object('networkoffering', await networkOfferingView(services.lookup(), o));
    },
  },
  {
    name: 'updateNetworkOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      const o = await services.networkOfferings.update(caller, p.req('id'), {
        name: p.str('name'),
        displayText: p.str('displaytext'),
        availability: p.str('availability'),
        state: p.str('state'),
        sortKey: p.int('sortkey'),
        tags: p.str('tags'),
        maxConnections: p.int('maxconnections'),
        keepAlive: p.bool('keepaliveenabled'),
        domainIds: p.str('domainid'),
        zoneIds: p.str('zoneid'),
      });
      return object('networkoffering', await networkOfferingView(services.lookup(), o));
    },
  },
  {
    name: 'deleteNetworkOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      await services.networkOfferings.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'listNetworkOfferings',
    async handle({ caller, services, params: p }) {
      const all = await services.catalog.networkOfferings(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        displayText: p.str('displaytext'),
        keyword: p.str('keyword'),
        guestIpType: p.str('guestiptype'),
        trafficType: p.str('traffictype'),
        state: p.str('state'),
        availability: p.str('availability'),
        forVpc: p.bool('forvpc'),
        isDefault: p.bool('isdefault'),
        specifyVlan: p.bool('specifyvlan'),
        specifyIpRanges: p.bool('specifyipranges'),
        tags: p.str('tags'),
        isTagged: p.bool('istagged'),
        sourceNatSupported: p.bool('sourcenatsupported'),
        supportedServices: p.list('supportedservices'),
        zoneId: p.uuid('zoneid'),
        domainId: p.uuid('domainid'),
      });
      const lk = services.lookup();
      return list(
        'networkoffering',
        await Promise.all(slice(all, paging(p, services)).map((o) => networkOfferingView(lk, o))),
        all.length,
      );
    },
  },
];
