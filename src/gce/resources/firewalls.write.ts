import { csJob, type GceContext } from '../context.js';
import { invalidField, unsupported } from '../errors.js';
import { parseRef } from '../ids.js';
import { replayed, startOperation } from '../operations.js';
import type { Route, RouteRequest } from '../route.js';
import { replaceAclItems } from './firewalls.acl.js';
import { authorize, checkFirewall, firewallNamed, groupTags } from './firewalls.js';
import { retag } from './tagsync.js';
import { jobDone } from './vpcnets.js';

/**
 * firewalls.patch (the fields given replace the current ones) and firewalls.update (the body is
 * the whole firewall). Either way the result is checked like an insert, then the CloudStack rules
 * are replaced: a security group's rules revoked and authorized anew (its tags re-set), an ACL
 * list's items deleted and created anew. Name, network and description stay: CloudStack renames
 * neither form nor changes its description, and GCE moves no firewall between networks.
 */
const FIELDS = [
  'description',
  'network',
  'priority',
  'direction',
  'sourceRanges',
  'destinationRanges',
  'sourceTags',
  'targetTags',
  'allowed',
  'denied',
  'disabled',
] as const;

async function change(ctx: GceContext, req: RouteRequest, whole: boolean): Promise<unknown> {
  const fw = await firewallNamed(ctx, req.params['firewall']!);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const cur = fw.view;
  const merged: Record<string, unknown> = whole
    ? { ...body }
    : { ...Object.fromEntries(FIELDS.map((k) => [k, cur[k]])) };
  if (!whole) for (const k of FIELDS) if (body[k] !== undefined) merged[k] = body[k];
  // Google's patch drops the ranges of the other direction and the other kind of rule when one is given.
  if (!whole && body['denied'] !== undefined) delete merged['allowed'];
  if (!whole && body['allowed'] !== undefined) delete merged['denied'];
  if (!whole && body['direction'] !== undefined && body['direction'] !== cur['direction'])
    delete merged[cur['direction'] === 'INGRESS' ? 'sourceRanges' : 'destinationRanges'];
  merged['name'] = cur['name'];
  if (body['name'] !== undefined && body['name'] !== cur['name'])
    throw invalidField('resource.name', body['name'], 'The name of a firewall cannot be changed.');
  if (merged['network'] === undefined) merged['network'] = cur['network'];
  if (parseRef(String(merged['network'])).name !== parseRef(String(cur['network'])).name)
    throw invalidField('resource.network', merged['network'], 'The network of a firewall cannot be changed.');
  const spec = await checkFirewall(ctx, merged);
  if (spec.description !== cur['description'])
    throw unsupported(
      "Changing a firewall's description (CloudStack keeps a security group's and an ACL list's as created)",
    );
  let jobs: string[];
  if (fw.acl) {
    jobs = await replaceAclItems(ctx, fw.acl, spec);
  } else {
    for (const [command, rules] of [
      ['revokeSecurityGroupIngress', fw.sg.ingressrule],
      ['revokeSecurityGroupEgress', fw.sg.egressrule],
    ] as const) {
      for (const r of rules ?? []) if (r.cidr) await jobDone(ctx, (await csJob(ctx, command, { id: r.ruleid })).jobid);
    }
    jobs = [
      ...(await authorize(ctx, fw.sg.id, spec)),
      ...(await retag(ctx, 'SecurityGroup', fw.sg.id, fw.sg.tags, groupTags(spec))),
    ];
  }
  return startOperation(ctx, {
    type: whole ? 'update' : 'patch',
    scope: 'global',
    location: 'global',
    targetLink: String(cur['selfLink']),
    targetId: String(cur['id']),
    jobs,
    requestId: req.query['requestId'],
  });
}

const write =
  (whole: boolean): Route['run'] =>
  async (ctx, req) =>
    (await replayed(ctx, req.query['requestId'])) ?? change(ctx, req, whole);

export const firewallWriteRoutes: Route[] = [
  {
    id: 'firewalls.patch',
    method: 'PATCH',
    path: 'projects/{project}/global/firewalls/{firewall}',
    query: ['requestId'],
    request: 'Firewall',
    response: 'Operation',
    description:
      'Updates the specified firewall rule with the data included in the request. This method supports PATCH semantics and uses the JSON merge patch format and processing rules.',
    run: write(false),
  },
  {
    id: 'firewalls.update',
    method: 'PUT',
    path: 'projects/{project}/global/firewalls/{firewall}',
    query: ['requestId'],
    request: 'Firewall',
    response: 'Operation',
    description:
      'Updates the specified firewall rule with the data included in the request. The PUT method can only update the following fields of firewall rule: allowed, description, sourceRanges, sourceTags, targetTags.',
    run: write(true),
  },
];
