import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { InstanceFacts, MetadataService } from '../services/compute/metadata.service.js';
import { gceTree, walk } from './gce.js';
// The EC2 front's naming of offerings, so IMDS and DescribeInstances agree.
import { instanceTypeOf as instanceTypeName } from '../ec2/states.js';

/**
 * Instance metadata services. A process acts as an instance by using that instance's base URL:
 *   EC2 IMDS (v1 and v2):   http://HOST:PORT/_polystack/instances/<id>/   (+ latest/meta-data/...)
 *   CloudStack VR paths:    the same base (latest/user-data, latest/meta-data/<item>)
 *   GCE metadata server:    the same base + computeMetadata/v1/... with `Metadata-Flavor: Google`
 * Clients that take only a host (gcp-metadata's GCE_METADATA_HOST, SDKs pointed at
 * http://HOST:PORT/) get /latest/... and /computeMetadata/v1/... at the root, answered as the
 * instance chosen with PUT /_polystack/metadata/instance {"id": ...}.
 * <id> is the CloudStack VM id or its EC2 instance id.
 */
export interface DefaultInstance {
  /** The instance root-level metadata paths answer as (clients that take only a host). */
  id?: string;
}

/** What EC2's ModifyInstanceMetadataOptions set for a VM (by CloudStack id): IMDSv2 only, or no IMDS at all. */
export type ImdsOptions = (vmId: string) => Promise<{ HttpTokens: string; HttpEndpoint: string }>;

export function registerMetadata(
  app: FastifyInstance,
  metadata: MetadataService,
  clock: Clock,
  fallback: DefaultInstance,
  options?: ImdsOptions,
): void {
  const tokens = new Map<string, number>();
  const idOf = (req: FastifyRequest) => (req.params as { id?: string }).id ?? fallback.id ?? '';

  const token = async (req: FastifyRequest, res: FastifyReply) => {
    const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
    if (!(ttl >= 1 && ttl <= 21600)) return res.status(400).type('text/plain').send('');
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, clock.now() + ttl * 1000);
    return res.type('text/plain').header('x-aws-ec2-metadata-token-ttl-seconds', String(ttl)).send(token);
  };
  app.put('/_polystack/instances/:id/latest/api/token', token);
  app.put('/latest/api/token', token);

  const serve = async (req: FastifyRequest, res: FastifyReply) => {
    const token = req.headers['x-aws-ec2-metadata-token'];
    // IMDSv2: a token, if sent, must be live; IMDSv1 (no token) is allowed, as on instances with http-tokens=optional.
    if (typeof token === 'string' && !((tokens.get(token) ?? 0) > clock.now()))
      return res.status(401).type('text/plain').send('');
    const path = (req.params as { '*': string })['*'].replace(/\/+$/, '');
    const facts = await factsOr404(metadata, idOf(req), res);
    if (!facts) return res;
    // An instance whose metadata options say so: no IMDS (403, as AWS answers), or tokens required (IMDSv1 is 401).
    const set = await options?.(facts.id);
    if (set?.HttpEndpoint === 'disabled') return res.status(403).type('text/plain').send('');
    if (set?.HttpTokens === 'required' && typeof token !== 'string') return res.status(401).type('text/plain').send('');
    const answer = lookup(facts, path);
    if (answer === undefined) return res.status(404).type('text/plain').send('');
    return typeof answer === 'string'
      ? res.type('text/plain').send(answer)
      : res.type('application/json').send(JSON.stringify(answer, null, 2));
  };
  app.get('/_polystack/instances/:id/latest/*', serve);
  app.get('/latest/*', serve);
}

/** An instance's facts, or a 404 already sent when it is unknown or not running. */
async function factsOr404(
  metadata: MetadataService,
  id: string,
  res: FastifyReply,
): Promise<InstanceFacts | undefined> {
  try {
    return await metadata.facts(id);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    await res.status(404).type('text/plain').send(`${e.message}\n`);
    return undefined;
  }
}

/** GCE: the Metadata-Flavor header is required both ways; `?recursive=true` answers JSON. */
export function registerGceMetadata(app: FastifyInstance, metadata: MetadataService, fallback: DefaultInstance): void {
  const serve = async (req: FastifyRequest, res: FastifyReply) => {
    res.header('Metadata-Flavor', 'Google');
    if (req.headers['metadata-flavor'] !== 'Google')
      return res.status(403).type('text/html').send('Missing Metadata-Flavor:Google header.\n');
    const facts = await factsOr404(metadata, (req.params as { id?: string }).id ?? fallback.id ?? '', res);
    if (!facts) return res;
    const q = req.query as { recursive?: string; alt?: string };
    const found = walk(gceTree(facts), (req.params as { '*': string })['*'], q.recursive === 'true');
    if (!found) return res.status(404).type('text/html').send('Not Found\n');
    if (found.json !== undefined || q.alt === 'json')
      return res.type('application/json').send(JSON.stringify(found.json ?? found.text));
    return res.type('application/text').send(found.text);
  };
  app.get('/_polystack/instances/:id/computeMetadata/v1/*', serve);
  app.get('/computeMetadata/v1/*', serve);
}

/** The tree EC2's IMDS and CloudStack's virtual router serve. */
function lookup(f: InstanceFacts, path: string): string | object | undefined {
  const meta: Record<string, string | undefined> = {
    'ami-id': f.templateId,
    'instance-id': f.ec2Id,
    'instance-type': instanceTypeName(f.offering),
    hostname: `${f.name}.ec2.internal`,
    'local-hostname': f.name,
    'local-ipv4': f.privateIp,
    'public-ipv4': f.publicIp,
    mac: f.mac,
    'placement/availability-zone': f.zone,
    'placement/region': 'us-east-1',
    // CloudStack's virtual-router names for the same facts.
    'availability-zone': f.zone,
    'service-offering': f.offering,
    'vm-id': f.id,
    'cloud-identifier': `CloudStack-{${f.id}}`,
    'public-hostname': f.publicIp,
    'instance-action': 'none',
  };
  if (path === 'user-data') return f.userData;
  if (path === 'meta-data')
    return [
      ...Object.keys(meta).filter((k) => meta[k] !== undefined && !k.includes('/')),
      'placement/',
      'public-keys/',
      'tags/',
    ].join('\n');
  if (path === 'meta-data/placement') return 'availability-zone\nregion';
  if (path === 'meta-data/public-keys') return f.publicKeys.map((k, i) => `${i}=${k.name}`).join('\n');
  const key = /^meta-data\/public-keys\/(\d+)(\/openssh-key)?$/.exec(path);
  if (key) {
    const k = f.publicKeys[Number(key[1])];
    return k && (key[2] ? `${k.key}\n` : 'openssh-key');
  }
  if (path === 'meta-data/tags/instance') return Object.keys(f.tags).join('\n');
  const tag = /^meta-data\/tags\/instance\/(.+)$/.exec(path);
  // The path is already decoded (Fastify's wildcard); decoding again turned `%25E0` into a URIError and a 500.
  if (tag) return Object.hasOwn(f.tags, tag[1]!) ? f.tags[tag[1]!] : undefined;
  if (path === 'dynamic/instance-identity/document')
    return {
      accountId: '000000000000',
      architecture: 'x86_64',
      availabilityZone: f.zone,
      imageId: f.templateId,
      instanceId: f.ec2Id,
      instanceType: instanceTypeName(f.offering),
      pendingTime: new Date(f.created).toISOString(),
      privateIp: f.privateIp,
      region: 'us-east-1',
      version: '2017-09-30',
    };
  if (path.startsWith('meta-data/')) return meta[path.slice('meta-data/'.length)];
  return undefined;
}
