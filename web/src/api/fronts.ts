import type { Credentials } from '../../../src/control/credentials.routes.js';
import { control } from './control';
import { cs } from './cloudstack';

export type { Credentials };

/** The session's own key pair and the endpoints of the three fronts (GET /_polystack/credentials). */
export function credentials(): Promise<Credentials> {
  return control<Credentials>('GET', 'credentials');
}

/** A new GCE service-account key file for the session's user (POST /_polystack/credentials/gce-key). */
export function gceKeyFile(): Promise<Record<string, string>> {
  return control<Record<string, string>>('POST', 'credentials/gce-key');
}

export interface FrontNames {
  id: string;
  ec2Id: string;
  gceName: string;
  gceId: string;
  gceZone?: string;
}

export interface FrontResources {
  instances: { id: string; name: string; zonename?: string; state?: string }[];
  volumes: { id: string; name: string; type?: string; vmname?: string; zonename?: string; state?: string }[];
  images: { id: string; name: string; zonename?: string }[];
  securityGroups: { id: string; name: string }[];
}

export type FrontIds = { gceProject?: string } & Record<keyof FrontResources, FrontNames[]>;

const PAGE = 500;

/** The caller's instances, volumes, images and security groups, as CloudStack lists them (the first 500 of each). */
export async function frontResources(): Promise<FrontResources> {
  const pick = <T>(p: Promise<{ items: T[] }>) => p.then((r) => r.items);
  const [instances, volumes, images, securityGroups] = await Promise.all([
    pick(
      cs.list<FrontResources['instances'][number]>('listVirtualMachines', 'virtualmachine', {
        listall: true,
        pagesize: PAGE,
        page: 1,
      }),
    ),
    pick(
      cs.list<FrontResources['volumes'][number]>('listVolumes', 'volume', { listall: true, pagesize: PAGE, page: 1 }),
    ),
    pick(
      cs.list<FrontResources['images'][number]>('listTemplates', 'template', {
        templatefilter: 'executable',
        pagesize: PAGE,
        page: 1,
      }),
    ),
    pick(
      cs.list<FrontResources['securityGroups'][number]>('listSecurityGroups', 'securitygroup', {
        listall: true,
        pagesize: PAGE,
        page: 1,
      }),
    ),
  ]);
  // A template is listed once per zone; EC2 and GCE show it once.
  const seen = new Set<string>();
  return { instances, volumes, images: images.filter((t) => !seen.has(t.id) && seen.add(t.id)), securityGroups };
}

/** What the EC2 and GCE fronts call those resources (POST /_polystack/front-ids). */
export function frontIds(r: FrontResources): Promise<FrontIds> {
  const slim = <T extends { id: string }>(xs: T[], keys: (keyof T)[]) =>
    xs.map((x) => Object.fromEntries(['id', ...keys].map((k) => [k, x[k as keyof T]])));
  return control<FrontIds>('POST', 'front-ids', {
    account: cs.session?.account,
    instances: slim(r.instances, ['name', 'zonename']),
    volumes: slim(r.volumes, ['name', 'type', 'vmname', 'zonename']),
    images: slim(r.images, ['name']),
    securityGroups: slim(r.securityGroups, ['name']),
  });
}

/** Saves text as a file the browser downloads. */
export function download(name: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
