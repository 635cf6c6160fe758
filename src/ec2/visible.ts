import { csList, fromCloudStack, type Ec2Context } from './context.js';
import { checkWellFormed, notFound } from './ids.js';

/** How to ask CloudStack for one object of a kind as the caller sees it. */
const LISTS = {
  instance: { command: 'listVirtualMachines', key: 'virtualmachine', params: {} },
  volume: { command: 'listVolumes', key: 'volume', params: {} },
  snapshot: { command: 'listSnapshots', key: 'snapshot', params: {} },
  image: { command: 'listTemplates', key: 'template', params: { templatefilter: 'executable' } },
} as const;

/**
 * The CloudStack id behind an EC2 id, if the caller may see the object. Ids decode whoever
 * owns them (ids.ts); another account's object is NotFound, as AWS has it, rather than the
 * permission error (with the CloudStack id in it) CloudStack would give.
 */
export async function visibleCsId(ctx: Ec2Context, kind: keyof typeof LISTS, ec2Id: string | undefined): Promise<string> {
  checkWellFormed(kind, ec2Id);
  const id = await ctx.ids.cs(kind, ec2Id);
  const { command, key, params } = LISTS[kind];
  if (!(await listById(ctx, command, key, { ...params, id })).length) throw notFound(kind, ec2Id);
  return id;
}

/**
 * One object by its CloudStack id, or none when the caller may not see it. CloudStack 4.18 answers
 * a list by id of an image the caller has no access to with 531 (QueryManagerImpl's access check)
 * rather than an empty list; to an EC2 client both are the same NotFound.
 */
export async function listById(ctx: Ec2Context, command: string, key: string, params: Record<string, string>): Promise<any[]> {
  const r = await ctx.port.call(ctx.creds, command, params);
  if (r.status === 531) return [];
  if (r.status !== 200) throw fromCloudStack(r.status, String(r.body['errortext'] ?? `CloudStack ${command} failed`));
  return (r.body[key] ?? []) as any[];
}

/** The snapshots a request's block device mappings name must be the caller's too. */
export async function checkMappedSnapshots(ctx: Ec2Context, mappings: { Ebs?: { SnapshotId?: string } }[] | undefined): Promise<void> {
  for (const m of mappings ?? []) if (m.Ebs?.SnapshotId) await visibleCsId(ctx, 'snapshot', m.Ebs.SnapshotId);
}
