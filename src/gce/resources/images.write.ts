import type { Image } from '../compute.types.js';
import { cs, csJob, csList, memo, type GceContext } from '../context.js';
import { alreadyExists, found, invalidField, inUse, unsupported } from '../errors.js';
import { numericId, parseRef, slug } from '../ids.js';
import { tagJobs } from '../labels.js';
import { replayed, startOperation, TEMPLATE_WATCH, undo, type UndoStep } from '../operations.js';
import type { Route } from '../route.js';
import { checkLabels, checkName } from '../validate.js';
import { diskNamed } from './disks.js';
import { zoneNamed } from './geo.js';
import { imagesOf, templateOf } from './images.js';

/**
 * images.insert and images.delete. An image from a disk (`sourceDisk`) is CloudStack's
 * createTemplate from that volume; one from a file (`rawDisk.source`) is registerTemplate in
 * every zone, whose download the Operation watches. Family, description and source disk are kept
 * in the front's ImageRecord.
 */
interface Made {
  templateId: string;
  jobs: string[];
  sourceDisk?: { link: string; id: string };
}

/** Image formats CloudStack takes, by the file's ending; GCE's own form is a gzipped tar of `disk.raw`. */
const FORMATS: [RegExp, string][] = [
  [/\.tar(\.gz)?$/, 'TAR'],
  [/\.qcow2(\.gz|\.bz2|\.zip)?$/, 'QCOW2'],
  [/\.(raw|img)(\.gz|\.bz2|\.zip)?$/, 'RAW'],
  [/\.vhd(\.gz|\.bz2|\.zip)?$/, 'VHD'],
  [/\.vmdk$/, 'VMDK'],
  [/\.ova$/, 'OVA'],
];

const defaultOsType = (ctx: GceContext): Promise<string> =>
  memo(ctx, 'ostype:other', async () => {
    const named = await csList(ctx, 'listOsTypes', 'ostype', { description: 'Other (64-bit)' });
    return String((named[0] ?? (await csList(ctx, 'listOsTypes', 'ostype', {}))[0]).id);
  });

async function fromDisk(
  ctx: GceContext,
  name: string,
  displaytext: string,
  ref: string,
  force: boolean,
): Promise<Made> {
  const r = parseRef(ref);
  if (!r.zone) throw invalidField('resource.sourceDisk', ref, 'The source disk must be given as a zonal disk URL.');
  const { vol, view } = await diskNamed(ctx, await zoneNamed(ctx, r.zone), r.name);
  const users = (view['users'] ?? []) as string[];
  if (users.length && vol.vmstate !== 'Stopped') {
    if (!force) throw inUse(ctx.links.relative(String(view['selfLink'])), ctx.links.relative(users[0]!));
    throw unsupported('An image from a disk in use by a running instance (forceCreate)');
  }
  if (vol.state === 'Allocated')
    throw unsupported(
      'An image from a disk that has never been attached (CloudStack writes a new volume out at its first attach)',
    );
  const source = vol.templateid ? (await imagesOf(ctx, ctx.project)).find((t) => t.id === vol.templateid) : undefined;
  const ostypeid = source?.ostypeid ?? (await defaultOsType(ctx));
  const { jobid, id } = await csJob(ctx, 'createTemplate', { volumeid: vol.id, name, displaytext, ostypeid });
  return { templateId: id!, jobs: [jobid], sourceDisk: { link: String(view['selfLink']), id: String(view['id']) } };
}

async function fromFile(ctx: GceContext, name: string, displaytext: string, url: string): Promise<Made> {
  if (!/^https?:\/\//.test(url))
    throw invalidField('resource.rawDisk.source', url, 'The image file must be given as an http(s) URL.');
  const format = FORMATS.find(([re]) => re.test(url.toLowerCase().split(/[?#]/)[0]!))?.[1];
  if (!format)
    throw invalidField(
      'resource.rawDisk.source',
      url,
      'The image file must be a .tar.gz (disk.raw inside), .raw, .img, .qcow2, .vhd, .vmdk or .ova file.',
    );
  const hypervisor = String((await csList(ctx, 'listHypervisors', 'hypervisor', {}))[0]?.name ?? 'KVM');
  const body = await cs(ctx, 'registerTemplate', {
    name,
    displaytext,
    url,
    format,
    hypervisor,
    ostypeid: await defaultOsType(ctx),
    zoneid: '-1',
  });
  const id = String(body['template'][0].id);
  return { templateId: id, jobs: [`${TEMPLATE_WATCH}${id}`] };
}

async function insertImage(ctx: GceContext, body: Image, force: boolean, requestId?: string): Promise<unknown> {
  const name = checkName(body.name);
  const family =
    body.family === undefined || body.family === null || body.family === ''
      ? ''
      : checkName(body.family, 'resource.family');
  if (body.sourceImage || body.sourceSnapshot) throw unsupported('An image from another image or a snapshot');
  const raw = body.rawDisk?.source ? String(body.rawDisk.source) : undefined;
  if (!!body.sourceDisk === !!raw)
    throw invalidField('resource', name, 'Exactly one of sourceDisk or rawDisk.source must be specified.');
  const labels = checkLabels(body.labels);
  const link = ctx.links.global('images', name);
  if (await found(templateOf(ctx, { name }))) throw alreadyExists(ctx.links.relative(link));
  const description = typeof body.description === 'string' ? body.description : '';
  const made = body.sourceDisk
    ? await fromDisk(ctx, name, description || name, String(body.sourceDisk), force)
    : await fromFile(ctx, name, description || name, raw!);
  const undoSteps: UndoStep[] = [{ command: 'deleteTemplate', params: { id: made.templateId } }];
  try {
    made.jobs.push(...(await tagJobs(ctx, 'Template', made.templateId, labels)));
  } catch (e) {
    await undo(ctx, undoSteps);
    throw e;
  }
  await ctx.store.saveImage({
    templateId: made.templateId,
    accountId: ctx.ownerId,
    description,
    family,
    sourceDisk: made.sourceDisk?.link ?? '',
    sourceDiskId: made.sourceDisk?.id ?? '',
  });
  return startOperation(ctx, {
    type: 'insert',
    scope: 'global',
    location: 'global',
    targetLink: link,
    targetId: numericId(made.templateId),
    jobs: made.jobs,
    requestId,
    followup: { failure: undoSteps, records: [{ table: 'images', id: made.templateId, on: 'failure' }] },
  });
}

async function deleteImage(ctx: GceContext, name: string, requestId?: string): Promise<unknown> {
  const t = await templateOf(ctx, { name });
  const { jobid } = await csJob(ctx, 'deleteTemplate', { id: t.id });
  return startOperation(ctx, {
    type: 'delete',
    scope: 'global',
    location: 'global',
    targetLink: ctx.links.global('images', slug(t.name)),
    targetId: numericId(t.id),
    jobs: [jobid],
    requestId,
    followup: { failure: [], records: [{ table: 'images', id: t.id, on: 'success' }] },
  });
}

export const imageWriteRoutes: Route[] = [
  {
    id: 'images.insert',
    method: 'POST',
    path: 'projects/{project}/global/images',
    query: ['requestId', 'forceCreate'],
    request: 'Image',
    response: 'Operation',
    description: 'Creates an image in the specified project using the data included in the request.',
    run: async (ctx, req) =>
      (await replayed(ctx, req.query['requestId'])) ??
      insertImage(ctx, req.body, req.query['forceCreate'] === 'true', req.query['requestId']),
  },
  {
    id: 'images.delete',
    method: 'DELETE',
    path: 'projects/{project}/global/images/{image}',
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified image.',
    run: async (ctx, req) =>
      (await replayed(ctx, req.query['requestId'])) ?? deleteImage(ctx, req.params['image']!, req.query['requestId']),
  },
];
