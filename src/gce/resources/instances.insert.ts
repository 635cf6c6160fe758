import type { AttachedDiskInitializeParams, Instance } from '../compute.types.js';
import type { WireServiceOffering } from '../../cloudstack/wire.js';
import { csCall, csJob, type GceContext } from '../context.js';
import { alreadyExists, forbidden, found, GceError, invalidField, notFound, required, unsupported } from '../errors.js';
import { keyPairsFor, sshKeysOf, userDataOf } from '../guest.js';
import { tagJobs } from '../labels.js';
import { numericId, parseRef } from '../ids.js';
import { replayed, startOperation, undo, type UndoStep } from '../operations.js';
import { checkLabels, checkMetadata, checkName, checkTags } from '../validate.js';
import { securityGroupsFor } from './firewalls.js';
import { zoneNamed, type Zone } from './geo.js';
import { templateOf, type CsImage } from './images.js';
import { offeringFor } from './disktypes.js';
import { offeringNamed } from './machinetypes.js';
import { vmNamed } from './instances.view.js';
import { saveSettings } from '../store/compute.js';
import { settingsOfInsert } from './instances.settings.js';
import { nicPlacement, type Placement } from './instances.network.js';

/**
 * instances.insert → deployVirtualMachine. Everything Compute Engine checks synchronously is
 * checked before anything is created (name, machine type, image, network, metadata, labels,
 * tags, a duplicate name); then SSH keys are registered, the VM deployed and its labels tagged.
 * A CloudStack failure after that point undoes what was created: at once if the command itself
 * fails, or when the Operation sees the deploy job fail.
 */
interface Plan {
  zone: Zone;
  name: string;
  offering: WireServiceOffering;
  template: CsImage;
  dataDisk?: { diskofferingid: string; size?: number };
  bootDisk: string;
  metadata: { key: string; value: string }[];
  labels: Record<string, string>;
  tags: string[];
  placement: Placement;
}

async function plan(ctx: GceContext, zoneName: string, body: Instance): Promise<Plan> {
  const zone = await zoneNamed(ctx, zoneName);
  const name = checkName(body.name);
  if (!body.machineType) throw required('resource.machineType');
  const mt = parseRef(String(body.machineType));
  if (mt.zone && mt.zone !== zone.name)
    throw invalidField('resource.machineType', body.machineType, `Machine type must be in zone '${zone.name}'.`);
  const offering = await offeringNamed(ctx, zone, mt.name);
  if (!offering)
    throw invalidField(
      'resource.machineType',
      body.machineType,
      `Machine type with name '${mt.name}' does not exist in zone '${zone.name}'.`,
    );
  const disks = Array.isArray(body.disks) ? body.disks : [];
  const boot = disks.find((d) => d?.boot) ?? disks[0];
  if (!boot) throw invalidField('resource.disks', [], 'At least one boot disk must be specified.');
  if (boot.source || !boot.initializeParams?.sourceImage)
    throw unsupported('Booting from an existing disk (disks[].source)');
  const template = await templateOf(ctx, parseRef(String(boot.initializeParams.sourceImage)));
  const extra = disks.filter((d) => d !== boot);
  if (extra.length > 1) throw unsupported('More than one additional disk at insert');
  if (extra[0]?.source) throw unsupported('Attaching an existing disk (disks[].source)');
  const dataDisk = extra[0] ? await dataDiskOf(ctx, zone, extra[0].initializeParams ?? {}) : undefined;
  const nics = body.networkInterfaces ?? [];
  if (nics.length > 1) throw unsupported('More than one network interface');
  let placement: Placement = {};
  for (const [i, n] of nics.entries()) {
    const ref = n?.network
      ? parseRef(String(n.network))
      : n?.subnetwork
        ? parseRef(String(n.subnetwork))
        : { name: 'default' };
    // Another project's network is Shared VPC, which needs a grant polystack does not model: the name alone must not pick the caller's own.
    if (ref.project && ref.project !== ctx.project) {
      throw n?.network
        ? forbidden('compute.networks.use', `projects/${ref.project}/global/networks/${ref.name}`)
        : forbidden(
            'compute.subnetworks.use',
            `projects/${ref.project}/regions/${ref.region ?? '-'}/subnetworks/${ref.name}`,
          );
    }
    placement = await nicPlacement(
      ctx,
      zone,
      n,
      i,
      n?.network ? ref : undefined,
      n?.subnetwork ? parseRef(String(n.subnetwork)) : undefined,
    );
    // Ignoring it would hand out an ephemeral address where a particular one (possibly another project's) was asked for.
    if ((n?.accessConfigs ?? []).some((a) => a?.natIP))
      throw unsupported('A static external address (networkInterfaces[].accessConfigs[].natIP)');
  }
  const bootDisk = boot.initializeParams.diskName
    ? checkName(boot.initializeParams.diskName, 'resource.disks[0].initializeParams.diskName')
    : name;
  return {
    zone,
    name,
    offering,
    template,
    dataDisk,
    bootDisk,
    metadata: checkMetadata(body.metadata),
    labels: checkLabels(body.labels),
    tags: checkTags(body.tags),
    placement,
  };
}

async function dataDiskOf(
  ctx: GceContext,
  zone: Zone,
  p: AttachedDiskInitializeParams,
): Promise<{ diskofferingid: string; size?: number }> {
  if (p.sourceImage || p.sourceSnapshot) throw unsupported('A data disk made from an image or snapshot');
  const { diskofferingid, size } = await offeringFor(
    ctx,
    zone,
    p.diskType,
    p.diskSizeGb,
    'resource.disks[1].initializeParams.diskSizeGb',
  );
  return { diskofferingid, size };
}

export async function insertInstance(
  ctx: GceContext,
  zoneName: string,
  body: Instance,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const p = await plan(ctx, zoneName, body);
  const settings = settingsOfInsert(body);
  const link = ctx.links.zonal(p.zone.name, 'instances', p.name);
  if (await found(vmNamed(ctx, p.zone, p.name))) throw alreadyExists(ctx.links.relative(link));
  const keys = await keyPairsFor(ctx, sshKeysOf(p.metadata, await ctx.store.projectMetadata(ctx.ownerId)));
  const undoKeys = keys.created.map((name): UndoStep => ({ command: 'deleteSSHKeyPair', params: { name } }));
  let deployed: { jobid: string; id?: string };
  try {
    deployed = await csJob(ctx, 'deployVirtualMachine', {
      zoneid: p.zone.cs.id,
      serviceofferingid: p.offering.id,
      templateid: p.template.id,
      name: p.name,
      displayname: p.name,
      userdata: userDataOf(p.metadata),
      keypairs: keys.names.length ? keys.names : undefined,
      ...(p.dataDisk ?? {}),
      securitygroupids: p.zone.cs.securitygroupsenabled ? await securityGroupsFor(ctx, p.tags) : undefined,
      ...p.placement,
    });
  } catch (e) {
    await undo(ctx, undoKeys);
    throw e;
  }
  const vmId = deployed.id!;
  const undoSteps: UndoStep[] = [
    { command: 'destroyVirtualMachine', params: { id: vmId, expunge: true } },
    ...undoKeys,
  ];
  const jobs = [deployed.jobid];
  try {
    jobs.push(...(await tagJobs(ctx, 'UserVm', vmId, p.labels)));
  } catch (e) {
    await undo(ctx, undoSteps);
    throw e;
  }
  await ctx.store.saveInstance({
    vmId,
    accountId: ctx.ownerId,
    description: typeof body.description === 'string' ? body.description : '',
    metadata: p.metadata,
    tags: p.tags,
    serviceAccounts: (body.serviceAccounts ?? []).map((s) => ({
      email: String(s.email ?? 'default'),
      scopes: (s.scopes ?? []).map(String),
    })),
    bootDisk: p.bootDisk,
    updated: ctx.clock.now(),
  });
  if (Object.keys(settings).length) await saveSettings(ctx.store, vmId, ctx.ownerId, settings);
  return startOperation(ctx, {
    type: 'insert',
    scope: 'zone',
    location: p.zone.name,
    targetLink: link,
    targetId: numericId(vmId),
    jobs,
    followup: { failure: undoSteps, dropOnFailure: vmId },
    requestId,
  });
}
