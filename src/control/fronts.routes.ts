import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../services/services.js';
import { Ids, type Kind } from '../ec2/ids.js';
import type { Ec2Store } from '../ec2/store.js';
import { numericId, slug } from '../gce/ids.js';
import { diskName, instanceName } from '../gce/resources/instances.view.js';
import { allowControl, denyControl, sessionCaller } from './auth.js';

/** A CloudStack resource as the console lists it: its id and the fields the other fronts name it by. */
interface Resource {
  id: string;
  name?: string;
  zonename?: string;
  /** Volumes: ROOT disks are named after their instance on GCE. */
  type?: string;
  vmname?: string;
}

interface Body {
  account?: string;
  instances?: Resource[];
  volumes?: Resource[];
  images?: Resource[];
  securityGroups?: Resource[];
}

/** What EC2 and GCE call one CloudStack resource. */
interface Names {
  id: string;
  ec2Id: string;
  gceName: string;
  gceId: string;
  gceZone?: string;
}

const MAX = 1000;

const KINDS: { key: keyof Omit<Body, 'account'>; ec2: Kind; gceName: (r: Resource) => string }[] = [
  { key: 'instances', ec2: 'instance', gceName: (r) => instanceName(r) },
  { key: 'volumes', ec2: 'volume', gceName: (r) => diskName(r, r.vmname ? { name: r.vmname } : undefined, undefined) },
  { key: 'images', ec2: 'image', gceName: (r) => slug(r.name ?? '') },
  { key: 'securityGroups', ec2: 'securityGroup', gceName: (r) => slug(r.name ?? '') },
];

async function allowed(services: Services, controlToken: string | undefined, req: FastifyRequest): Promise<boolean> {
  return (await allowControl(services, controlToken, req)) || !!(await sessionCaller(services, req));
}

/**
 * POST /_polystack/front-ids: the EC2 ids and GCE names of CloudStack resources the console lists,
 * so it can show one resource as each front shows it. Both are derived from the CloudStack id and
 * name, never looked up, so a caller learns nothing it did not send; the EC2 ids are remembered by
 * the EC2 front's store, as its own listings do, so `aws ec2 describe-instances --instance-ids`
 * finds them even before any EC2 listing. Any console session may ask.
 */
export function registerFrontIds(
  app: FastifyInstance,
  services: Services,
  o: { controlToken?: string; ec2Store: Ec2Store },
): void {
  const ids = new Ids(o.ec2Store);
  app.post('/_polystack/front-ids', async (req, res) => {
    if (!(await allowed(services, o.controlToken, req))) return denyControl(res);
    let body: Body;
    try {
      body = (typeof req.body === 'string' ? JSON.parse(req.body || '{}') : (req.body ?? {})) as Body;
    } catch {
      return res.status(400).send({ error: { code: 400, message: 'the body is not JSON' } });
    }
    const out: Record<string, Names[]> = {};
    for (const k of KINDS) {
      const list = body[k.key] ?? [];
      if (!Array.isArray(list) || list.length > MAX || list.some((r) => typeof r?.id !== 'string' || !r.id)) {
        return res
          .status(400)
          .send({ error: { code: 400, message: `${k.key}: give at most ${MAX} objects, each with a string id` } });
      }
      out[k.key] = await Promise.all(
        list.map(async (r) => ({
          id: r.id,
          ec2Id: await ids.of(k.ec2, r.id),
          gceName: k.gceName(r),
          gceId: numericId(r.id),
          ...(r.zonename ? { gceZone: slug(r.zonename) } : {}),
        })),
      );
    }
    return res.send({ gceProject: body.account ? slug(body.account) : undefined, ...out });
  });
}
