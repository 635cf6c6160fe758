import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { apiSpec } from '../../src/cloudstack/spec.js';
import type { FuzzWorld } from './fuzz-world.js';

type Pairs = [string, string][];

/** An entity's life through the API: the commands that make, change, show and remove it. */
export interface Family {
  entity: string;
  create: string;
  update: string;
  list: string;
  remove: string;
}

const served = (name: string) => COMMANDS.has(name.toLowerCase());

/**
 * Every entity whose update<X> takes an id and that has a create, a list and a delete command, from
 * the command table: update<X> with create|deploy|add|register<X>, delete|destroy<X>, list<X>s.
 */
export function families(): Family[] {
  const out: Family[] = [];
  for (const { name } of COMMANDS.values()) {
    if (!name.startsWith('update') || !apiSpec(name)!.params.some((p) => p.name === 'id')) continue;
    const x = name.slice('update'.length);
    const create = ['create', 'deploy', 'add', 'register'].map((p) => p + x).find(served);
    const remove = ['delete', 'destroy'].map((p) => p + x).find(served);
    const list = [`list${x}s`, `list${x}es`, `list${x.replace(/y$/, 'ies')}`].find(served);
    if (create && remove && list) out.push({ entity: x, create, update: name, list, remove });
  }
  return out;
}

/** Parameters that make one entity of each family (fresh names each call), and what its delete needs besides the id. */
export interface Recipe {
  make(): Promise<Pairs>;
  removeExtra?: Pairs;
  /** What an update needs besides the id, set to what the entity already has (updateImageStore requires readonly). */
  updateExtra?: Pairs;
}

/** The CloudStack answer's id: `{id, jobid}` of an async create, or the object's. */
export function createdId(body: string): string | undefined {
  const parsed = JSON.parse(body);
  const r = parsed[Object.keys(parsed)[0]!];
  if (typeof r?.id === 'string') return r.id;
  // An object, or a list of one (registerTemplate and registerIso answer a list).
  const values = Object.values(r ?? {}).map((v) => (Array.isArray(v) ? v[0] : v));
  const obj = values.find(
    (v): v is { id: string } => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string',
  );
  return obj?.id;
}

/** Recipes for the families the fuzz world can make; returns them keyed by entity. */
export async function recipes(fw: FuzzWorld): Promise<Record<string, Recipe>> {
  const db = fw.w.store.db as any;
  let n = 0;
  const name = (p: string) => `seq-${p}-${++n}`;
  const call = async (command: string, params: Pairs) => {
    const r = await fw.cs(fw.admin, [['command', command], ['response', 'json'], ...params], 'POST');
    await fw.drain();
    if (r.status !== 200) throw new Error(`${command}: ${r.body}`);
    return createdId(r.body)!;
  };
  const zone = fw.w.zones.advanced;
  const netOffering = (
    await db
      .selectFrom('networkOfferings')
      .select('id')
      .where('name', '=', 'DefaultIsolatedNetworkOfferingWithSourceNatService')
      .executeTakeFirst()
  ).id as string;
  const vpcOffering = (await db.selectFrom('vpcOfferings').select('id').executeTakeFirst()).id as string;
  const osType = (await db.selectFrom('osTypes').select('id').executeTakeFirst()).id as string;
  const root = (await db.selectFrom('domains').select('id').where('parentId', 'is', null).executeTakeFirst())
    .id as string;
  const net = await call('createNetwork', [
    ['zoneid', zone],
    ['name', 'seq-net'],
    ['displaytext', 'seq-net'],
    ['networkofferingid', netOffering],
  ]);
  const vm = await call('deployVirtualMachine', [
    ['zoneid', zone],
    ['serviceofferingid', fw.w.small],
    ['templateid', fw.w.template],
    ['networkids', net],
  ]);
  const volume = (await db.selectFrom('volumes').select('id').where('vmId', '=', vm).executeTakeFirst()).id as string;
  const snapshot = await call('createSnapshot', [['volumeid', volume]]);
  // A new zone is Disabled: physical networks are added to zones not yet enabled.
  const disabledZone = await call('createZone', [
    ['name', 'seq-zone'],
    ['networktype', 'Advanced'],
    ['dns1', '8.8.8.8'],
    ['internaldns1', '8.8.4.4'],
  ]);
  return {
    VirtualMachine: {
      make: async () => [
        ['zoneid', zone],
        ['serviceofferingid', fw.w.small],
        ['templateid', fw.w.template],
        ['networkids', net],
        ['name', name('vm')],
      ],
      removeExtra: [['expunge', 'true']],
    },
    InstanceGroup: { make: async () => [['name', name('group')]] },
    Template: {
      make: async () => [
        ['name', name('tpl')],
        ['displaytext', 'seq'],
        ['ostypeid', osType],
        ['snapshotid', snapshot],
      ],
    },
    Iso: {
      make: async () => [
        ['name', name('iso')],
        ['displaytext', 'seq'],
        ['url', 'http://example.com/seq.iso'],
        ['zoneid', zone],
        ['ostypeid', osType],
      ],
    },
    Network: {
      make: async () => [
        ['zoneid', zone],
        ['name', name('net')],
        ['displaytext', 'seq'],
        ['networkofferingid', netOffering],
      ],
    },
    LoadBalancerRule: {
      make: async () => [
        ['publicipid', await call('associateIpAddress', [['networkid', net]])],
        ['name', name('lb')],
        ['algorithm', 'roundrobin'],
        ['privateport', '80'],
        ['publicport', '80'],
      ],
    },
    VPC: {
      make: async () => [
        ['zoneid', zone],
        ['name', name('vpc')],
        ['displaytext', 'seq'],
        ['cidr', '10.77.0.0/16'],
        ['vpcofferingid', vpcOffering],
      ],
    },
    Account: {
      make: async () => {
        const a = name('acct');
        return [
          ['account', a],
          ['username', a],
          ['password', 'pw'],
          ['email', 'a@x'],
          ['firstname', 'a'],
          ['lastname', 'a'],
          ['accounttype', '0'],
        ];
      },
    },
    Domain: { make: async () => [['name', name('domain')]] },
    User: {
      make: async () => [
        ['account', 'fuzz-tenant'],
        ['domainid', root],
        ['username', name('user')],
        ['password', 'pw'],
        ['email', 'u@x'],
        ['firstname', 'u'],
        ['lastname', 'u'],
      ],
    },
    Role: {
      make: async () => [
        ['name', name('role')],
        ['type', 'User'],
      ],
    },
    Project: {
      make: async () => [
        ['name', name('project')],
        ['displaytext', 'seq'],
      ],
    },
    Zone: {
      make: async () => [
        ['name', name('zone')],
        ['networktype', 'Advanced'],
        ['dns1', '8.8.8.8'],
        ['internaldns1', '8.8.4.4'],
      ],
    },
    PhysicalNetwork: {
      make: async () => [
        ['zoneid', disabledZone],
        ['name', name('pnet')],
      ],
    },
    ServiceOffering: {
      make: async () => [
        ['name', name('so')],
        ['displaytext', 'seq'],
        ['cpunumber', '1'],
        ['cpuspeed', '500'],
        ['memory', '256'],
      ],
    },
    DiskOffering: {
      make: async () => [
        ['name', name('do')],
        ['displaytext', 'seq'],
        ['disksize', '1'],
      ],
    },
    ImageStore: {
      make: async () => {
        const s = name('store');
        return [
          ['name', s],
          ['url', `nfs://10.9.9.9/export/${s}`],
          ['provider', 'NFS'],
          ['zoneid', zone],
        ];
      },
      updateExtra: [['readonly', 'false']],
    },
    NetworkOffering: {
      make: async () => [
        ['name', name('no')],
        ['displaytext', 'seq'],
        ['guestiptype', 'Isolated'],
        ['traffictype', 'GUEST'],
        ['supportedservices', 'Dhcp,Dns'],
        ['serviceproviderlist[0].service', 'Dhcp'],
        ['serviceproviderlist[0].provider', 'VirtualRouter'],
        ['serviceproviderlist[1].service', 'Dns'],
        ['serviceproviderlist[1].provider', 'VirtualRouter'],
      ],
    },
    VPCOffering: {
      make: async () => [
        ['name', name('vo')],
        ['displaytext', 'seq'],
        ['supportedservices', 'Dhcp,Dns,SourceNat,NetworkACL'],
        ...(['Dhcp', 'Dns', 'SourceNat', 'NetworkACL'] as const).flatMap((svc, i): [string, string][] => [
          [`serviceproviderlist[${i}].service`, svc],
          [`serviceproviderlist[${i}].provider`, 'VpcVirtualRouter'],
        ]),
      ],
    },
  };
}
