import { csList, type Ec2Context } from '../context.js';
import type { Ec2Store } from '../store.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { instanceTypeOf } from '../states.js';
import { visibleCsId } from '../visible.js';
import { zones } from './geo.js';
import { page } from './paging.js';
import { actions } from './types.js';

/**
 * What EC2 says of an instance that CloudStack has no field for, kept by the front per VM:
 * metadata options, detailed monitoring, the source/destination check.
 */
const KEYS = { metadata: 'metadataOptions', monitoring: 'monitoring', sourceDestCheck: 'sourceDestCheck' } as const;

export interface MetadataOptions {
  HttpTokens: string;
  HttpPutResponseHopLimit: number;
  HttpEndpoint: string;
  HttpProtocolIpv6: string;
  InstanceMetadataTags: string;
}
const DEFAULT_METADATA: MetadataOptions = {
  HttpTokens: 'optional',
  HttpPutResponseHopLimit: 1,
  HttpEndpoint: 'enabled',
  HttpProtocolIpv6: 'disabled',
  InstanceMetadataTags: 'disabled',
};

type Notes = Map<string, Map<string, string>>;
const primed = new WeakMap<Ec2Context, { ids: Set<string>; notes: Promise<Notes> }>();

/** A listing reads the notes of all its instances in one query (instances.ts renders a page of VMs at once). */
export function primeInstanceNotes(ctx: Ec2Context, vmIds: string[]): void {
  primed.set(ctx, { ids: new Set(vmIds), notes: ctx.store.attrsWithKeys(Object.values(KEYS), vmIds) });
}

/** An instance's notes (only instances with a setting changed have any): from the listing's read when it is in it, else its own. */
export async function instanceNotes(
  ctx: Ec2Context,
  vmId: string,
): Promise<{ metadata: MetadataOptions; monitoring: boolean; sourceDestCheck: boolean }> {
  const batch = primed.get(ctx);
  const notes = batch?.ids.has(vmId) ? await batch.notes : await ctx.store.attrsWithKeys(Object.values(KEYS), [vmId]);
  const mine = notes.get(vmId);
  const metadata = mine?.get(KEYS.metadata);
  return {
    metadata: metadata
      ? { ...DEFAULT_METADATA, ...(JSON.parse(metadata) as Partial<MetadataOptions>) }
      : DEFAULT_METADATA,
    monitoring: mine?.get(KEYS.monitoring) === 'enabled',
    sourceDestCheck: mine?.get(KEYS.sourceDestCheck) !== 'false',
  };
}

/** One VM's metadata options as stored (the IMDS routes enforce HttpTokens and HttpEndpoint). */
export async function storedMetadataOptions(store: Ec2Store, vmId: string): Promise<MetadataOptions> {
  const stored = (await store.attrs([vmId], KEYS.metadata)).get(vmId);
  return { ...DEFAULT_METADATA, ...(stored ? (JSON.parse(stored) as Partial<MetadataOptions>) : {}) };
}

type MetadataInput = Partial<Omit<MetadataOptions, 'HttpPutResponseHopLimit'>> & { HttpPutResponseHopLimit?: number };

function checkMetadata(m: MetadataInput): void {
  const hop = m.HttpPutResponseHopLimit;
  if (hop !== undefined && !(Number.isInteger(hop) && hop >= 1 && hop <= 64))
    throw ec2Error(
      'InvalidParameterValue',
      `The HttpPutResponseHopLimit value ${hop} is not valid. Specify a value between 1 and 64.`,
    );
  const allowed: [keyof MetadataInput, string[]][] = [
    ['HttpTokens', ['optional', 'required']],
    ['HttpEndpoint', ['enabled', 'disabled']],
    ['HttpProtocolIpv6', ['enabled', 'disabled']],
    ['InstanceMetadataTags', ['enabled', 'disabled']],
  ];
  for (const [k, values] of allowed)
    if (m[k] !== undefined && !values.includes(String(m[k])))
      throw ec2Error('InvalidParameterValue', `Value (${m[k]}) for parameter ${k} is invalid.`);
}

async function setMetadata(ctx: Ec2Context, vmId: string, m: MetadataInput): Promise<MetadataOptions> {
  // Read afresh, not through the request's memo: RunInstances shows its instances after writing this.
  const next = {
    ...(await storedMetadataOptions(ctx.store, vmId)),
    ...Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)),
  } as MetadataOptions;
  await ctx.store.setAttr(vmId, KEYS.metadata, JSON.stringify(next));
  return next;
}

/** RunInstances' MetadataOptions and Monitoring (its own or its launch template's), once the VMs exist. */
export async function launchNotes(
  ctx: Ec2Context,
  vmIds: string[],
  input: { MetadataOptions?: MetadataInput; Monitoring?: { Enabled?: boolean } },
): Promise<void> {
  for (const id of vmIds) {
    if (input.MetadataOptions) await setMetadata(ctx, id, input.MetadataOptions);
    if (input.Monitoring?.Enabled) await ctx.store.setAttr(id, KEYS.monitoring, 'enabled');
  }
}

/** Checked before anything is launched. */
export const checkLaunchNotes = (input: { MetadataOptions?: MetadataInput }): void =>
  void (input.MetadataOptions && checkMetadata(input.MetadataOptions));

export async function setSourceDestCheck(ctx: Ec2Context, vmId: string, on: boolean): Promise<void> {
  await ctx.store.setAttr(vmId, KEYS.sourceDestCheck, String(on));
}

async function monitor(ctx: Ec2Context, ids: string[] | undefined, on: boolean) {
  if (!ids?.length) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
  const vms = [];
  for (const id of ids) vms.push(await visibleCsId(ctx, 'instance', id));
  for (const vm of vms) await ctx.store.setAttr(vm, KEYS.monitoring, on ? 'enabled' : 'disabled');
  // EC2 answers with the transition; DescribeInstances then shows enabled or disabled.
  return {
    InstanceMonitorings: ids.map((InstanceId) => ({ InstanceId, Monitoring: { State: on ? 'pending' : 'disabling' } })),
  };
}

/** Items without tags still take the `tag:` filters (they match none). */
const untagged = <T>(xs: T[]) => xs as (T & { Tags?: undefined })[];

export const instanceExtraActions = actions({
  async ModifyInstanceMetadataOptions(ctx, input) {
    if (!input.InstanceId) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
    const vmId = await visibleCsId(ctx, 'instance', input.InstanceId);
    checkMetadata(input);
    const m = await setMetadata(ctx, vmId, input);
    return { InstanceId: input.InstanceId, InstanceMetadataOptions: { State: 'pending', ...m } };
  },
  async MonitorInstances(ctx, input) {
    return monitor(ctx, input.InstanceIds, true);
  },
  async UnmonitorInstances(ctx, input) {
    return monitor(ctx, input.InstanceIds, false);
  },
  /** ResetInstanceAttribute: the three attributes AWS lets one reset. Polystack sets no kernel or ramdisk, so those only check the state. */
  async ResetInstanceAttribute(ctx, input) {
    if (!input.Attribute) throw ec2Error('MissingParameter', 'The request must contain the parameter attribute');
    if (!input.InstanceId) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
    const vmId = await visibleCsId(ctx, 'instance', input.InstanceId);
    if (input.Attribute === 'sourceDestCheck') {
      await ctx.store.deleteAttr(vmId, KEYS.sourceDestCheck);
    } else if (input.Attribute === 'kernel' || input.Attribute === 'ramdisk') {
      const [vm] = await csList(ctx, 'listVirtualMachines', 'virtualmachine', { id: vmId });
      if (vm?.state !== 'Stopped')
        throw ec2Error('IncorrectInstanceState', `The instance '${input.InstanceId}' is not in the 'stopped' state.`);
    } else {
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${input.Attribute}) for parameter attribute is invalid. Only kernel, ramdisk and sourceDestCheck can be reset.`,
      );
    }
    return { Return: true };
  },
  /** Instance types by region or zone: service offerings, in every zone unless the offering names its zones. */
  async DescribeInstanceTypeOfferings(ctx, input) {
    const type = input.LocationType ?? 'region';
    if (!['region', 'availability-zone', 'availability-zone-id'].includes(type))
      throw ec2Error('InvalidParameterValue', `Value (${type}) for parameter locationType is invalid.`);
    const offerings = await csList(ctx, 'listServiceOfferings', 'serviceoffering');
    const all = await zones(ctx);
    const seen = new Set<string>();
    const out: { InstanceType: string; LocationType: string; Location: string }[] = [];
    for (const o of offerings) {
      const InstanceType = instanceTypeOf(o.name);
      const where = o.zoneid ? String(o.zoneid).split(',') : undefined;
      const locations =
        type === 'region'
          ? [ctx.region]
          : all
              .filter((z) => !where || where.includes(z.csZoneId))
              .map((z) => (type === 'availability-zone' ? z.ZoneName : z.ZoneId));
      for (const Location of locations) {
        if (seen.has(`${InstanceType} ${Location}`)) continue;
        seen.add(`${InstanceType} ${Location}`);
        out.push({ InstanceType, LocationType: type, Location });
      }
    }
    const filtered = applyFilters(untagged(out), input.Filters, {
      location: (x) => [x.Location],
      'instance-type': (x) => [x.InstanceType],
    });
    const { items, next } = page(filtered, input.MaxResults, input.NextToken, 5, 1000);
    return { InstanceTypeOfferings: items, NextToken: next };
  },
});
