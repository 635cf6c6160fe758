import type { WireTemplate } from '../../cloudstack/wire.js';
import { csList, memo, type GceContext } from '../context.js';
import type { ImageRecord } from '../store/store.js';
import { notFound } from '../errors.js';
import { labelsOf } from '../labels.js';
import { csTime, fingerprint, numericId, rfc3339, slug, type Ref } from '../ids.js';
import { list, listQuery } from '../lists.js';
import { LIST_QUERY, type Route } from '../route.js';

/**
 * Images are CloudStack templates. A project's own `global/images` lists the templates its account
 * can deploy (CloudStack's `executable` filter: featured, own and shared). Google's public image
 * projects list the public templates of their OS (by the template's OS type or name), so
 * `debian-cloud` answers an empty list where no Debian template exists, as gstack did.
 * Families are derived from the OS and version (`Ubuntu 22.04` → `ubuntu-2204-lts`, `CentOS 5.3` → `centos-5`).
 * An image made through the front (images.write.ts) has its family, description and source disk
 * in the front's ImageRecord, attached to its template as `gce`; the project's own images include
 * those not ready yet (CloudStack's `self` filter), which Compute Engine shows as PENDING.
 */
export const PUBLIC_IMAGE_PROJECTS: Record<string, RegExp> = {
  'debian-cloud': /debian/i,
  'ubuntu-os-cloud': /ubuntu/i,
  'centos-cloud': /centos/i,
  'rocky-linux-cloud': /rocky/i,
  'rhel-cloud': /red ?hat|rhel/i,
  'cos-cloud': /container-optimized|\bcos\b/i,
  'fedora-coreos-cloud': /fedora|coreos/i,
  'coreos-cloud': /coreos/i,
  'opensuse-cloud': /opensuse/i,
  'suse-cloud': /suse/i,
  'suse-byos-cloud': /suse/i,
  'suse-sap-cloud': /suse.*sap/i,
  'windows-cloud': /windows/i,
  'windows-sql-cloud': /windows.*sql|sql.*server/i,
  'almalinux-cloud': /alma/i,
  'oracle-linux-cloud': /oracle/i,
};

/** A project name from a path: only the table's own keys count (`constructor` is not an image project). */
export const isPublicImageProject = (project: string): boolean => Object.hasOwn(PUBLIC_IMAGE_PROJECTS, project);

/** A CloudStack template as an image: with the front's record when the image was inserted through it. */
export type CsImage = WireTemplate & { gce?: ImageRecord };

const templates = (ctx: GceContext, filter: string): Promise<WireTemplate[]> =>
  memo(ctx, `templates:${filter}`, async () => {
    const seen = new Map<string, WireTemplate>();
    for (const t of await csList(ctx, 'listTemplates', 'template', { templatefilter: filter }))
      if (!seen.has(t.id)) seen.set(t.id, t);
    return [...seen.values()];
  });

const ownImages = (ctx: GceContext): Promise<CsImage[]> =>
  memo(ctx, 'images:own', async () => {
    const recs = await ctx.store.images(ctx.ownerId);
    const seen = new Map<string, CsImage>();
    for (const t of [...(await templates(ctx, 'executable')), ...(await templates(ctx, 'self'))]) {
      if (!seen.has(t.id)) seen.set(t.id, recs.has(t.id) ? { ...t, gce: recs.get(t.id) } : t);
    }
    return [...seen.values()];
  });

/** The templates shown under a project: the caller's own, or a public image project's. */
export async function imagesOf(ctx: GceContext, project: string): Promise<CsImage[]> {
  const os = isPublicImageProject(project) ? PUBLIC_IMAGE_PROJECTS[project] : undefined;
  if (!os) return ownImages(ctx);
  return (await templates(ctx, 'featured')).filter(
    (t) => t.ispublic && (os.test(t.ostypename ?? '') || os.test(t.name)),
  );
}

export function familyOf(t: CsImage): string | undefined {
  if (t.gce) return t.gce.family || undefined;
  const m =
    /^([A-Za-z]+)[^\d]*?(\d+)(?:\.(\d+))?/.exec(t.ostypename ?? t.name) ??
    /^([A-Za-z]+)[^\d]*?(\d+)(?:\.(\d+))?/.exec(t.name);
  if (!m) return undefined;
  const os = m[1]!.toLowerCase();
  if (os === 'ubuntu' && m[3]) return `ubuntu-${m[2]}${m[3]}${m[3] === '04' && Number(m[2]) % 2 === 0 ? '-lts' : ''}`;
  return `${os}-${m[2]}`;
}

const imageStatus = (t: CsImage) =>
  t.isready ? 'READY' : /error|fail|abandon/i.test(String(t.status ?? '')) ? 'FAILED' : 'PENDING';

export function imageView(ctx: GceContext, t: CsImage, project: string): Record<string, unknown> {
  const name = slug(t.name);
  const labels = labelsOf(t.tags);
  const size = Number(t.size ?? 0);
  const src = t.gce?.sourceDisk ? { sourceDisk: t.gce.sourceDisk, sourceDiskId: t.gce.sourceDiskId } : {};
  return {
    kind: 'compute#image',
    id: numericId(t.id),
    creationTimestamp: rfc3339(csTime(t.created)),
    name,
    description: t.gce ? t.gce.description : (t.displaytext ?? t.name),
    ...(familyOf(t) ? { family: familyOf(t) } : {}),
    ...src,
    sourceType: 'RAW',
    status: imageStatus(t),
    archiveSizeBytes: String(size),
    diskSizeGb: String(Math.max(1, Math.ceil(size / 2 ** 30))),
    licenses: [],
    guestOsFeatures: [{ type: 'VIRTIO_SCSI_MULTIQUEUE' }],
    architecture: t.arch === 'aarch64' ? 'ARM64' : 'X86_64',
    labels,
    labelFingerprint: fingerprint(labels),
    storageLocations: ['local'],
    selfLink: ctx.links.global('images', name, project),
  };
}

/** The newest READY image of a family, as images.getFromFamily answers. */
function newestOfFamily(all: CsImage[], family: string): CsImage | undefined {
  return all
    .filter((t) => familyOf(t) === family && t.isready)
    .sort((a, b) => csTime(b.created) - csTime(a.created))[0];
}

/** The template behind an image reference (`projects/p/global/images/<name>` or `.../images/family/<f>`). */
export async function templateOf(ctx: GceContext, ref: Ref): Promise<CsImage> {
  const project = ref.project ?? ctx.project;
  if (project !== ctx.project && !isPublicImageProject(project))
    throw notFound(`projects/${project}/global/images/${ref.family ? `family/${ref.family}` : ref.name}`);
  const all = await imagesOf(ctx, project);
  const t = ref.family ? newestOfFamily(all, ref.family) : all.find((x) => slug(x.name) === ref.name);
  if (!t) throw notFound(`projects/${project}/global/images/${ref.family ? `family/${ref.family}` : ref.name}`);
  return t;
}

export const imageRoutes: Route[] = [
  {
    id: 'images.list',
    method: 'GET',
    path: 'projects/{project}/global/images',
    query: LIST_QUERY,
    response: 'ImageList',
    publicImages: true,
    description: 'Retrieves the list of custom images available to the specified project.',
    async run(ctx, req) {
      const items = (await imagesOf(ctx, ctx.project)).map((t) => imageView(ctx, t, ctx.project));
      return list(
        'compute#imageList',
        ctx.links.global('images'),
        `projects/${ctx.project}/global/images`,
        items,
        listQuery(req.query),
      );
    },
  },
  {
    id: 'images.get',
    method: 'GET',
    path: 'projects/{project}/global/images/{image}',
    response: 'Image',
    publicImages: true,
    description: 'Returns the specified image.',
    async run(ctx, req) {
      return imageView(ctx, await templateOf(ctx, { name: req.params['image']! }), ctx.project);
    },
  },
  {
    id: 'images.getFromFamily',
    method: 'GET',
    path: 'projects/{project}/global/images/family/{family}',
    response: 'Image',
    publicImages: true,
    description: 'Returns the latest image that is part of an image family and is not deprecated.',
    async run(ctx, req) {
      return imageView(
        ctx,
        await templateOf(ctx, { name: req.params['family']!, family: req.params['family']! }),
        ctx.project,
      );
    },
  },
];
