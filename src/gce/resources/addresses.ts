import { ipInCidr, isNetworkOrBroadcast } from '../../domain/cidr.js';
import { intToIp, isIpv4, parseCidr } from '../../domain/net.js';
import type { Address as AddressBody, SetLabelsRequest } from '../compute.types.js';
import type { WirePublicIp } from '../../cloudstack/wire.js';
import { csJob, csList, memo, type GceContext } from '../context.js';
import { alreadyExists, conditionNotMet, GceError, invalidField, notFound, unsupported } from '../errors.js';
import { fingerprint, numericId, parseRef, rfc3339 } from '../ids.js';
import { labelsOf } from '../labels.js';
import { replayed, startOperation, type UndoStep } from '../operations.js';
import { NetRecords, type AddressRow } from '../store/networking.js';
import { checkLabels, checkName } from '../validate.js';
import { allSubnets, type Subnet } from './subnetworks.view.js';
import { retag } from './tagsync.js';
import { guestNetworks, vpcList, vpcZone } from './vpcnets.js';

/**
 * Addresses. A static EXTERNAL address is a CloudStack public IP (associateIpAddress in the zone
 * that holds the project's networks), named and described by the front (a public IP has neither)
 * and labelled with the IP's resource tags. An INTERNAL address is a reservation the front keeps
 * of a guest address in a subnetwork: CloudStack cannot reserve a guest IP without a NIC, so it
 * steers instances.insert (networkIP) but does not stop CloudStack from handing the address to a
 * VM created elsewhere. Global addresses are EXTERNAL only (GAPS.md).
 */
export type AddressScope = { kind: 'region'; region: string } | { kind: 'global' };

const scopeKey = (s: AddressScope) => (s.kind === 'global' ? 'global' : s.region);
const records = (ctx: GceContext) => new NetRecords(ctx.store);
const publicIps = (ctx: GceContext): Promise<WirePublicIp[]> =>
  memo(ctx, 'publicips', () => csList(ctx, 'listPublicIpAddresses', 'publicipaddress', { ...ctx.scope }));

export function addressLink(ctx: GceContext, s: AddressScope, name: string): string {
  return s.kind === 'global' ? ctx.links.global('addresses', name) : ctx.links.regional(s.region, 'addresses', name);
}
const relative = (ctx: GceContext, s: AddressScope, name: string) => ctx.links.relative(addressLink(ctx, s, name));

interface Address {
  row: AddressRow;
  ip?: WirePublicIp;
  view: Record<string, unknown>;
}

/** The instance a guest address is on, among the VMs of a tier. */
async function guestUsers(ctx: GceContext, tierId: string | undefined): Promise<Map<string | undefined, string>> {
  if (!tierId) return new Map();
  const vms = await memo(ctx, `vms:${tierId}`, () =>
    csList(ctx, 'listVirtualMachines', 'virtualmachine', { networkid: tierId }),
  );
  const out = new Map<string | undefined, string>();
  for (const vm of vms)
    for (const n of vm.nic ?? [])
      if (n.networkid === tierId)
        out.set(
          n.ipaddress,
          ctx.links.zonal(String(vm.zonename).toLowerCase(), 'instances', String(vm.name).toLowerCase()),
        );
  return out;
}

async function addressesIn(ctx: GceContext, s: AddressScope): Promise<Address[]> {
  const ips = new Map((await publicIps(ctx)).map((ip) => [ip.id, ip]));
  const out: Address[] = [];
  for (const row of await records(ctx).addresses(ctx.ownerId, scopeKey(s))) {
    const common = {
      kind: 'compute#address',
      id: row.id,
      creationTimestamp: rfc3339(row.created),
      name: row.name,
      description: row.description,
      ...(s.kind === 'region' ? { region: ctx.links.region(s.region) } : {}),
      selfLink: addressLink(ctx, s, row.name),
      addressType: row.addressType,
      ipVersion: 'IPV4',
    };
    if (row.ipId) {
      const ip = ips.get(row.ipId);
      // An address whose IP CloudStack no longer has (released elsewhere, or a failed insert) is gone.
      if (!ip) continue;
      const labels = labelsOf(ip.tags);
      const users = ip.virtualmachineid
        ? [ctx.links.zonal(String(ip.zonename).toLowerCase(), 'instances', String(ip.virtualmachinename).toLowerCase())]
        : [];
      const status = ip.state === 'Allocating' ? 'RESERVING' : users.length ? 'IN_USE' : 'RESERVED';
      out.push({
        row,
        ip,
        view: {
          ...common,
          address: ip.ipaddress,
          status,
          ...(users.length ? { users } : {}),
          networkTier: 'PREMIUM',
          labels,
          labelFingerprint: fingerprint(labels),
        },
      });
    } else {
      const labels = JSON.parse(row.labels) as Record<string, string>;
      const user = (await guestUsers(ctx, row.subnetwork)).get(row.address);
      const sub = (await allSubnets(ctx)).find((x) => x.tier?.id === row.subnetwork);
      out.push({
        row,
        view: {
          ...common,
          address: row.address,
          status: user ? 'IN_USE' : 'RESERVED',
          ...(user ? { users: [user] } : {}),
          purpose: 'GCE_ENDPOINT',
          ...(sub ? { subnetwork: sub.view['selfLink'], network: sub.view['network'] } : {}),
          labels,
          labelFingerprint: fingerprint(labels),
        },
      });
    }
  }
  return out;
}

async function addressNamed(ctx: GceContext, s: AddressScope, name: string): Promise<Address> {
  const a = (await addressesIn(ctx, s)).find((x) => x.row.name === name || x.row.id === name);
  if (!a) throw notFound(relative(ctx, s, name));
  return a;
}

/** Where a project's public IPs come from: its one isolated network in the VPC zone, else its first custom network's VPC, else the zone (CloudStack's own choice, or its refusal). */
async function ipTarget(ctx: GceContext): Promise<Record<string, string>> {
  const zone = await vpcZone(ctx);
  const isolated = (await guestNetworks(ctx)).filter(
    (n) => n.zoneid === zone.cs.id && !n.vpcid && n.type === 'Isolated',
  );
  if (isolated.length === 1) return { networkid: isolated[0]!.id };
  const vpc = (await vpcList(ctx)).find((v) => v.zoneid === zone.cs.id);
  return vpc ? { vpcid: vpc.id } : { zoneid: zone.cs.id };
}

/** A free guest address of a subnetwork: not the gateway, not a NIC's, not reserved already. */
async function internalAddress(ctx: GceContext, s: AddressScope, sub: Subnet, asked: unknown): Promise<string> {
  const range = String(sub.view['ipCidrRange']);
  const taken = new Set([String(sub.view['gatewayAddress']), ...(await guestUsers(ctx, sub.tier?.id)).keys()]);
  for (const r of await records(ctx).addresses(ctx.ownerId))
    if (r.subnetwork && r.subnetwork === sub.tier?.id) taken.add(r.address);
  if (asked !== undefined) {
    const ip = String(asked);
    if (!isIpv4(ip) || !ipInCidr(ip, range) || isNetworkOrBroadcast(ip, range))
      throw invalidField(
        'resource.address',
        ip,
        `The address must be a host address in the subnetwork's range ${range}.`,
      );
    if (taken.has(ip))
      throw new GceError(409, 'alreadyExists', `IP '${ip}' is already being used by another resource.`);
    return ip;
  }
  const c = parseCidr(range);
  for (let n = c.network + 2; n < c.network + 2 ** (32 - c.prefix) - 1; n++)
    if (!taken.has(intToIp(n >>> 0))) return intToIp(n >>> 0);
  throw new GceError(400, 'invalid', `IP space of '${sub.view['selfLink']}' is exhausted.`);
}

export async function insertAddress(
  ctx: GceContext,
  s: AddressScope,
  body: AddressBody,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const name = checkName(body.name);
  const type = body.addressType ?? 'EXTERNAL';
  if (type !== 'EXTERNAL' && type !== 'INTERNAL')
    throw invalidField('resource.addressType', type, 'Must be EXTERNAL or INTERNAL.');
  if (body.ipVersion !== undefined && body.ipVersion !== 'IPV4') throw unsupported('An IPv6 address');
  if (body.networkTier !== undefined && body.networkTier !== 'PREMIUM')
    throw unsupported(`The ${body.networkTier} network tier`);
  const labels = checkLabels(body.labels);
  const description = typeof body.description === 'string' ? body.description : '';
  if ((await addressesIn(ctx, s)).some((a) => a.row.name === name)) throw alreadyExists(relative(ctx, s, name));
  const now = ctx.clock.now();
  const id = numericId(`address:${ctx.ownerId}:${scopeKey(s)}:${name}:${now}`);
  const row: AddressRow = {
    accountId: ctx.ownerId,
    scope: scopeKey(s),
    name,
    id,
    ipId: '',
    address: '',
    addressType: type,
    subnetwork: '',
    description,
    labels: '{}',
    created: now,
  };
  const op = (jobs: string[], failure: UndoStep[] = []) =>
    startOperation(ctx, {
      type: 'insert',
      scope: s.kind,
      location: scopeKey(s),
      targetLink: addressLink(ctx, s, name),
      targetId: id,
      jobs,
      followup: { failure },
      requestId,
    });
  if (type === 'INTERNAL') {
    if (s.kind === 'global')
      throw unsupported('A global INTERNAL address (VPC peering and Private Service Connect ranges)');
    if (body.purpose !== undefined && body.purpose !== 'GCE_ENDPOINT')
      throw unsupported(`An address for ${body.purpose}`);
    const ref = body.subnetwork ? parseRef(String(body.subnetwork)) : { name: 'default' };
    const sub = (await allSubnets(ctx)).find((x) => x.name === ref.name);
    if (!sub?.tier) throw notFound(`projects/${ctx.project}/regions/${s.region}/subnetworks/${ref.name}`);
    await records(ctx).saveAddress({
      ...row,
      address: await internalAddress(ctx, s, sub, body.address),
      subnetwork: sub.tier.id,
      labels: JSON.stringify(labels),
    });
    return op([]);
  }
  if (body.subnetwork || body.network || body.purpose)
    throw invalidField(
      'resource.subnetwork',
      body.subnetwork ?? body.network ?? body.purpose,
      'An EXTERNAL address takes no subnetwork, network or purpose.',
    );
  if (body.address !== undefined && !isIpv4(String(body.address)))
    throw invalidField('resource.address', body.address, 'Must be an IPv4 address.');
  const ip = await csJob(ctx, 'associateIpAddress', {
    ...(await ipTarget(ctx)),
    ...(body.address !== undefined ? { ipaddress: String(body.address) } : {}),
    ...ctx.scope,
  });
  const release: UndoStep[] = [{ command: 'disassociateIpAddress', params: { id: ip.id! } }];
  await records(ctx).saveAddress({ ...row, ipId: ip.id! });
  let jobs = [ip.jobid];
  try {
    jobs = [...jobs, ...(await retag(ctx, 'PublicIpAddress', ip.id!, [], labels))];
  } catch (e) {
    await csJob(ctx, 'disassociateIpAddress', { id: ip.id! }).catch(() => undefined);
    throw e;
  }
  return op(jobs, release);
}

export async function deleteAddress(
  ctx: GceContext,
  s: AddressScope,
  name: string,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const a = await addressNamed(ctx, s, name);
  const users = a.view['users'] as string[] | undefined;
  if (users?.length)
    throw new GceError(
      400,
      'resourceInUseByAnotherResource',
      `The address resource '${relative(ctx, s, a.row.name)}' is already being used by '${ctx.links.relative(users[0]!)}'`,
    );
  const jobs = a.row.ipId ? [(await csJob(ctx, 'disassociateIpAddress', { id: a.row.ipId })).jobid] : [];
  await records(ctx).dropAddress(ctx.ownerId, scopeKey(s), a.row.name);
  return startOperation(ctx, {
    type: 'delete',
    scope: s.kind,
    location: scopeKey(s),
    targetLink: addressLink(ctx, s, a.row.name),
    targetId: a.row.id,
    jobs,
    requestId,
  });
}

export async function setAddressLabels(
  ctx: GceContext,
  s: AddressScope,
  name: string,
  body: SetLabelsRequest,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const a = await addressNamed(ctx, s, name);
  if (body?.labelFingerprint !== a.view['labelFingerprint']) throw conditionNotMet('labels');
  const next = checkLabels(body.labels, 'labels');
  let jobs: string[] = [];
  if (a.ip) {
    const current = labelsOf(a.ip.tags);
    jobs = await retag(
      ctx,
      'PublicIpAddress',
      a.ip.id,
      a.ip.tags,
      Object.fromEntries([...Object.keys(current), ...Object.keys(next)].map((k) => [k, next[k]])),
    );
  } else await records(ctx).saveAddress({ ...a.row, labels: JSON.stringify(next) });
  return startOperation(ctx, {
    type: 'setLabels',
    scope: s.kind,
    location: scopeKey(s),
    targetLink: addressLink(ctx, s, a.row.name),
    targetId: a.row.id,
    jobs,
    requestId,
  });
}

export { addressesIn, addressNamed };
