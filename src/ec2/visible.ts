import type { WireLists } from '../cloudstack/wire.js';
import { csCall, fromCloudStack, type Ec2Context } from './context.js';
import { checkWellFormed, notFound } from './ids.js';

type Visible = 'instance' | 'volume' | 'snapshot' | 'image';

/** How to ask CloudStack for one object of a kind as the caller sees it. */
function listOne(ctx: Ec2Context, kind: Visible, id: string): Promise<unknown[]> {
  switch (kind) {
    case 'instance':
      return listById(ctx, 'listVirtualMachines', 'virtualmachine', { id });
    case 'volume':
      return listById(ctx, 'listVolumes', 'volume', { id });
    case 'snapshot':
      return listById(ctx, 'listSnapshots', 'snapshot', { id });
    case 'image':
      return listById(ctx, 'listTemplates', 'template', { templatefilter: 'executable', id });
  }
}

/**
 * The CloudStack id behind an EC2 id, if the caller may see the object. Ids decode whoever
 * owns them (ids.ts); another account's object is NotFound, as AWS has it, rather than the
 * permission error (with the CloudStack id in it) CloudStack would give.
 */
export async function visibleCsId(ctx: Ec2Context, kind: Visible, ec2Id: string | undefined): Promise<string> {
  checkWellFormed(kind, ec2Id);
  const id = await ctx.ids.cs(kind, ec2Id);
  if (!(await listOne(ctx, kind, id)).length) throw notFound(kind, ec2Id);
  return id;
}

/**
 * One object by its CloudStack id, or none when the caller may not see it. CloudStack 4.18 answers
 * a list by id of an image the caller has no access to with 531 (QueryManagerImpl's access check)
 * rather than an empty list; to an EC2 client both are the same NotFound.
 */
export async function listById<C extends keyof WireLists, K extends keyof WireLists[C] & string>(
  ctx: Ec2Context,
  command: C,
  key: K,
  params: Record<string, string>,
): Promise<WireLists[C][K][]> {
  const r = await csCall(ctx, command, params);
  if (r.status === 531) return [];
  if (r.error) throw fromCloudStack(r.status, String(r.error.errortext ?? `CloudStack ${command} failed`));
  const body: Partial<Record<string, unknown>> = r.body;
  return (body[key] ?? []) as WireLists[C][K][];
}

/** The snapshots a request's block device mappings name must be the caller's too. */
export async function checkMappedSnapshots(
  ctx: Ec2Context,
  mappings: { Ebs?: { SnapshotId?: string } }[] | undefined,
): Promise<void> {
  for (const m of mappings ?? []) if (m.Ebs?.SnapshotId) await visibleCsId(ctx, 'snapshot', m.Ebs.SnapshotId);
}
