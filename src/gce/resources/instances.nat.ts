import type { AccessConfig } from '../compute.types.js';
import type { WireNic } from '../../cloudstack/wire.js';
import { cs, csCall, csJob, type GceContext } from '../context.js';
import { GceError, invalidField, required, unsupported } from '../errors.js';
import { finished } from '../labels.js';
import type { Route } from '../route.js';
import { saveSettings, settingsOf } from '../store/compute.js';
import { op, type Target } from './instances.actions.js';
import { onInstance } from './instances.write.js';

/**
 * addAccessConfig / deleteAccessConfig → static NAT of a public address (enableStaticNat /
 * disableStaticNat). Without `natIP` an address is allocated on the NIC's network
 * (associateIpAddress) and released again when the access config goes; a given `natIP` must be an
 * address the project already holds, and stays with it. A basic zone's shared network already
 * gives every NIC a routable address, which cannot be added or removed.
 */
const path = 'projects/{project}/zones/{zone}/instances/{instance}';
const EXTERNAL_NAT = 'External NAT';

function nicOf(t: Target, name: string | undefined): WireNic {
  if (!name) throw required('networkInterface');
  const nics = t.vm.nic ?? [];
  const nic = /^nic(\d+)$/.test(name) ? nics[Number(name.slice(3))] : undefined;
  if (!nic) throw invalidField('networkInterface', name, `The instance has no network interface named '${name}'.`);
  return nic;
}

/** The address the access config is to use: the project's `natIP`, or a new one on the NIC's network. */
async function addressFor(ctx: GceContext, nic: WireNic, natIP: unknown): Promise<{ id: string; ephemeral: boolean }> {
  if (natIP !== undefined && natIP !== null && natIP !== '') {
    const held =
      (await cs(ctx, 'listPublicIpAddresses', { ipaddress: String(natIP), allocatedonly: true, ...ctx.scope }))[
        'publicipaddress'
      ] ?? [];
    const ip = held[0];
    if (!ip) throw invalidField('resource.natIP', natIP, 'The address is not reserved in this project.');
    if (ip.isstaticnat || ip.issourcenat)
      throw new GceError(
        400,
        'resourceInUseByAnotherResource',
        `The IP address '${String(natIP)}' is already being used by another resource.`,
      );
    return { id: String(ip.id), ephemeral: false };
  }
  const { jobid, id } = await csJob(ctx, 'associateIpAddress', { networkid: nic.networkid, ...ctx.scope });
  await finished(ctx, jobid);
  return { id: id!, ephemeral: true };
}

async function addAccessConfig(
  ctx: GceContext,
  t: Target,
  nicName: string | undefined,
  body: AccessConfig,
  requestId?: string,
): Promise<unknown> {
  const nic = nicOf(t, nicName);
  if (body.type !== undefined && body.type !== 'ONE_TO_ONE_NAT')
    throw invalidField('resource.type', body.type, "Must be 'ONE_TO_ONE_NAT'.");
  if (body.networkTier !== undefined && body.networkTier !== 'PREMIUM') throw unsupported('The STANDARD network tier');
  if (nic.type === 'Shared' || (nic.isdefault && t.vm.publicip))
    throw new GceError(400, 'invalid', 'At most one access config currently supported.');
  const ip = await addressFor(ctx, nic, body.natIP);
  const r = await csCall(ctx, 'enableStaticNat', {
    ipaddressid: ip.id,
    virtualmachineid: t.vm.id,
    networkid: nic.networkid,
  });
  if (r.status !== 200) {
    if (ip.ephemeral) await csCall(ctx, 'disassociateIpAddress', { id: ip.id });
    throw new GceError(400, 'invalid', String(r.error?.errortext ?? 'The access config could not be added.'));
  }
  if (ip.ephemeral) {
    const s = await settingsOf(ctx.store, t.vm.id);
    await saveSettings(ctx.store, t.vm.id, ctx.ownerId, { ephemeralIps: [...(s.ephemeralIps ?? []), ip.id] });
  }
  return op(ctx, t, 'addAccessConfig', [], requestId);
}

async function deleteAccessConfig(
  ctx: GceContext,
  t: Target,
  nicName: string | undefined,
  name: string | undefined,
  requestId?: string,
): Promise<unknown> {
  if (!name) throw required('accessConfig');
  const nic = nicOf(t, nicName);
  if (nic.type === 'Shared') throw unsupported("Removing the address of a basic zone's shared network");
  if (!nic.isdefault || !t.vm.publicipid || name !== EXTERNAL_NAT)
    throw invalidField('accessConfig', name, `No access config named '${name}' on network interface '${nicName}'.`);
  const ipId = String(t.vm.publicipid);
  await finished(ctx, (await csJob(ctx, 'disableStaticNat', { ipaddressid: ipId })).jobid);
  const s = await settingsOf(ctx.store, t.vm.id);
  const jobs: string[] = [];
  if (s.ephemeralIps?.includes(ipId)) {
    jobs.push((await csJob(ctx, 'disassociateIpAddress', { id: ipId })).jobid);
    await saveSettings(ctx.store, t.vm.id, ctx.ownerId, { ephemeralIps: s.ephemeralIps.filter((x) => x !== ipId) });
  }
  return op(ctx, t, 'deleteAccessConfig', jobs, requestId);
}

export const accessConfigRoutes: Route[] = [
  {
    id: 'instances.addAccessConfig',
    method: 'POST',
    path: `${path}/addAccessConfig`,
    query: ['requestId', 'networkInterface'],
    request: 'AccessConfig',
    response: 'Operation',
    description: "Adds an access config to an instance's network interface.",
    run: onInstance((ctx, t, req) =>
      addAccessConfig(ctx, t, req.query['networkInterface'], req.body, req.query['requestId']),
    ),
  },
  {
    id: 'instances.deleteAccessConfig',
    method: 'POST',
    path: `${path}/deleteAccessConfig`,
    query: ['requestId', 'accessConfig', 'networkInterface'],
    response: 'Operation',
    description: "Deletes an access config from an instance's network interface.",
    run: onInstance((ctx, t, req) =>
      deleteAccessConfig(ctx, t, req.query['networkInterface'], req.query['accessConfig'], req.query['requestId']),
    ),
  },
];
