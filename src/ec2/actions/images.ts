import { cs, csCall, csJob, csList, ownerId, waitJob, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { images } from './catalog.js';
import { checkMappedSnapshots, visibleCsId } from '../visible.js';
import { takeSnapshot } from './snapshots.js';
import { actions, csTags, specTagsOf, type TagSpecs } from './types.js';

/** registerTemplate formats by file ending (RegisterImage with an ImageLocation URL). */
const FORMATS: [RegExp, string][] = [
  [/\.qcow2(\.(gz|bz2|zip))?$/i, 'QCOW2'],
  [/\.(img|raw)(\.(gz|bz2|zip))?$/i, 'RAW'],
  [/\.vhdx?(\.(gz|bz2|zip))?$/i, 'VHD'],
  [/\.ova$/i, 'OVA'],
  [/\.vmdk$/i, 'VMDK'],
];

export async function oneImage(ctx: Ec2Context, id: string | undefined) {
  if (!id) throw ec2Error('MissingParameter', 'The request must contain the parameter ImageId');
  await ctx.ids.cs('image', id);
  const found = (await images(ctx)).find((i) => i.ImageId === id);
  if (!found) throw ec2Error('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
  return found;
}

export async function checkName(ctx: Ec2Context, name: string | undefined) {
  if (!name) throw ec2Error('MissingParameter', 'The request must contain the parameter name');
  if (name.length < 3 || name.length > 128 || !/^[A-Za-z0-9()[\]. /'@_-]+$/.test(name))
    throw ec2Error(
      'InvalidAMIName.Malformed',
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
    );
  const taken = (await images(ctx, ['self'])).find((i) => i.Name === name);
  if (taken) throw ec2Error('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${taken.ImageId}`);
}

export async function otherLinux(ctx: Ec2Context): Promise<string> {
  const types = await csList(ctx, 'listOsTypes', 'ostype');
  return (types.find((o) => o.description === 'Other Linux (64-bit)') ?? types[0]).id;
}

async function tagImage(ctx: Ec2Context, csId: string, specs: TagSpecs) {
  const tags = specTagsOf(specs, 'image');
  if (tags.length)
    await csJob(ctx, 'createTags', { resourcetype: 'Template', resourceids: [csId], tags: csTags(tags) });
}

/** createTemplate from a snapshot; the AMI remembers the snapshot behind its root device. */
async function templateFromSnapshot(
  ctx: Ec2Context,
  snapshotCsId: string,
  name: string | undefined,
  description: string | undefined,
  ostypeid: string | undefined,
) {
  const r = await cs(ctx, 'createTemplate', {
    snapshotid: snapshotCsId,
    name,
    displaytext: description || name,
    ostypeid,
  });
  await ctx.store.setAttr(r['id'], 'snapshot', snapshotCsId);
  return r['id'] as string;
}

export const imageActions = actions({
  /**
   * CreateImage over CloudStack's createTemplate: a stopped instance's root disk becomes the
   * template directly; a running one is snapshotted first (CloudStack makes templates only of
   * inactive volumes), so the instance is not rebooted whatever NoReboot says.
   */
  async CreateImage(ctx, input) {
    if (!input.InstanceId) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
    const vmId = await ctx.ids.cs('instance', input.InstanceId);
    await checkMappedSnapshots(ctx, input.BlockDeviceMappings);
    await checkName(ctx, input.Name);
    const [vm] = (await csCall(ctx, 'listVirtualMachines', { id: vmId })).body?.virtualmachine ?? [];
    if (!vm) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${input.InstanceId}' does not exist`);
    if (!['Running', 'Stopped'].includes(vm.state))
      throw ec2Error(
        'IncorrectInstanceState',
        `The instance '${input.InstanceId}' is not in a state from which an image can be created.`,
      );
    const [root] = await csList(ctx, 'listVolumes', 'volume', { virtualmachineid: vmId, type: 'ROOT' });
    let csId: string;
    if (vm.state === 'Stopped') {
      csId = (
        await cs(ctx, 'createTemplate', {
          volumeid: root.id,
          name: input.Name,
          displaytext: input.Description || input.Name,
          ostypeid: vm.guestosid,
        })
      )['id'];
    } else {
      const snap = await takeSnapshot(
        ctx,
        root.id,
        await ctx.ids.of('volume', root.id),
        `Created by CreateImage(${input.InstanceId}) for ${input.Name}`,
        true,
      );
      csId = await templateFromSnapshot(ctx, snap, input.Name, input.Description, vm.guestosid);
    }
    await tagImage(ctx, csId, input.TagSpecifications);
    return { ImageId: await ctx.ids.of('image', csId) };
  },
  /** RegisterImage: from a disk image URL (registerTemplate, every zone) or from an EBS snapshot (createTemplate). */
  async RegisterImage(ctx, input) {
    await checkName(ctx, input.Name);
    const root = (input.BlockDeviceMappings ?? []).find(
      (m) => m.Ebs?.SnapshotId && (!input.RootDeviceName || m.DeviceName === input.RootDeviceName),
    );
    let csId: string;
    if (root) {
      const snap = await visibleCsId(ctx, 'snapshot', root.Ebs?.SnapshotId);
      csId = await templateFromSnapshot(ctx, snap, input.Name, input.Description, await otherLinux(ctx));
    } else if (input.ImageLocation) {
      const location = input.ImageLocation;
      if (!/^https?:\/\//i.test(location))
        throw ec2Error(
          'InvalidParameterValue',
          `Invalid ImageLocation '${location}': polystack registers images from an http(s) URL of a disk image`,
        );
      const format = FORMATS.find(([re]) => re.test(location.split('?')[0]!))?.[1];
      if (!format)
        throw ec2Error(
          'InvalidParameterValue',
          `Invalid ImageLocation '${input.ImageLocation}': the file must end in .qcow2, .img, .raw, .vhd, .ova or .vmdk`,
        );
      const r = await csCall(ctx, 'registerTemplate', {
        name: input.Name,
        displaytext: input.Description || input.Name,
        url: input.ImageLocation,
        format,
        hypervisor: 'Simulator',
        zoneid: '-1',
        ostypeid: await otherLinux(ctx),
      });
      if (r.error) throw ec2Error('InvalidParameterValue', String(r.error?.errortext));
      csId = r.body['template'][0].id;
    } else {
      throw ec2Error(
        'MissingParameter',
        'The request must contain the parameter ImageLocation or a BlockDeviceMapping with a snapshot for the root device',
      );
    }
    return { ImageId: await ctx.ids.of('image', csId) };
  },
  /** DeregisterImage: AWS lets instances keep running from a deregistered AMI, so the delete is forced. */
  async DeregisterImage(ctx, input) {
    const image = await oneImage(ctx, input.ImageId);
    const r = await csCall(ctx, 'deleteTemplate', { id: image.csId, forced: true });
    if (r.status === 531) throw ec2Error('AuthFailure', `Not authorized for image:${input.ImageId}`);
    if (r.error) throw ec2Error('InvalidParameterValue', String(r.error?.errortext));
    await waitJob(ctx, r.body['jobid']).catch(() => undefined);
    return {};
  },
  async DescribeImageAttribute(ctx, input) {
    const image = await oneImage(ctx, input.ImageId);
    const out: Record<string, unknown> = { ImageId: input.ImageId };
    switch (input.Attribute) {
      case 'description':
        out['Description'] = { Value: image.Description };
        break;
      case 'launchPermission':
        out['LaunchPermissions'] = await launchPermissions(ctx, image.csId);
        break;
      case 'blockDeviceMapping':
        out['BlockDeviceMappings'] = image.BlockDeviceMappings;
        break;
      case 'productCodes':
        out['ProductCodes'] = [];
        break;
      case 'bootMode':
        out['BootMode'] = { Value: 'legacy-bios' };
        break;
      case 'sriovNetSupport':
        out['SriovNetSupport'] = { Value: 'simple' };
        break;
      case undefined:
        throw ec2Error('MissingParameter', 'The request must contain the parameter Attribute');
      default:
        // kernel, ramdisk, tpmSupport, uefiData, lastLaunchedTime, imdsSupport: nothing set.
        out[
          {
            kernel: 'KernelId',
            ramdisk: 'RamdiskId',
            tpmSupport: 'TpmSupport',
            uefiData: 'UefiData',
            lastLaunchedTime: 'LastLaunchedTime',
            imdsSupport: 'ImdsSupport',
          }[input.Attribute as string] ?? 'KernelId'
        ] = {};
    }
    return out;
  },
  async ModifyImageAttribute(ctx, input) {
    const image = await oneImage(ctx, input.ImageId);
    const description = input.Description?.Value ?? (input.Attribute === 'description' ? input.Value : undefined);
    if (description !== undefined) await cs(ctx, 'updateTemplate', { id: image.csId, displaytext: description });
    const add = [
      ...(input.LaunchPermission?.Add ?? []),
      ...(input.OperationType === 'add' ? permissionsOf(input) : []),
    ];
    const remove = [
      ...(input.LaunchPermission?.Remove ?? []),
      ...(input.OperationType === 'remove' ? permissionsOf(input) : []),
    ];
    for (const [list, op] of [
      [add, 'add'],
      [remove, 'remove'],
    ] as const) {
      if (list.some((p) => p.Group === 'all'))
        await cs(ctx, 'updateTemplatePermissions', { id: image.csId, ispublic: op === 'add' });
      const names = await accountNames(
        ctx,
        list.flatMap((p) => (p.UserId ? [p.UserId] : [])),
      );
      if (names.length) await cs(ctx, 'updateTemplatePermissions', { id: image.csId, accounts: names, op });
    }
    return {};
  },
});

const permissionsOf = (input: { UserGroups?: string[]; UserIds?: string[] }): { Group?: string; UserId?: string }[] => [
  ...(input.UserGroups ?? []).map((Group) => ({ Group })),
  ...(input.UserIds ?? []).map((UserId) => ({ UserId })),
];

/** EC2 owner ids are derived from CloudStack account ids; a name is found by listing the accounts the caller can see. */
async function accountNames(ctx: Ec2Context, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const accounts = await csList(ctx, 'listAccounts', 'account', { listall: true });
  return userIds.map((u) => {
    const a = accounts.find((x) => ownerId(x.id) === u);
    if (!a) throw ec2Error('InvalidAMIAttributeItemValue', `Invalid attribute item value "${u}" for userId item type.`);
    return a.name as string;
  });
}

async function launchPermissions(ctx: Ec2Context, csId: string) {
  const p = (await cs(ctx, 'listTemplatePermissions', { id: csId }))['templatepermission'];
  const accounts = await csList(ctx, 'listAccounts', 'account', { listall: true }).catch(() => []);
  const [t] = await csList(ctx, 'listTemplates', 'template', { templatefilter: 'self', id: csId });
  const owner = t?.account;
  const users = (p?.account ?? [])
    .filter((n) => n !== owner)
    .flatMap((n) => {
      const a = accounts.find((x) => x.name === n);
      return a ? [{ UserId: ownerId(a.id) }] : [];
    });
  return [...(p?.ispublic ? [{ Group: 'all' }] : []), ...users];
}
