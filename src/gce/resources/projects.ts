import { cs } from '../context.js';
import { conditionNotMet } from '../errors.js';
import { csTime, fingerprint, numericId, rfc3339 } from '../ids.js';
import { replayed, startOperation } from '../operations.js';
import type { Route } from '../route.js';
import { checkMetadata } from '../validate.js';
import { quotas } from './geo.js';

/**
 * The project is the CloudStack account (or CloudStack project). Its common instance metadata is
 * the front's own (CloudStack has no place for it); its `ssh-keys` reach instances created after
 * it is set, unless they block project keys.
 */
export const projectRoutes: Route[] = [
  {
    id: 'projects.get',
    method: 'GET',
    path: 'projects/{project}',
    response: 'Project',
    description: 'Returns the specified Project resource.',
    async run(ctx) {
      const items = await ctx.store.projectMetadata(ctx.ownerId);
      const account =
        ctx.ownerId === ctx.identity.accountId
          ? ((await cs(ctx, 'listAccounts', { id: ctx.ownerId }))['account'] ?? [])[0]
          : undefined;
      const number = numericId(`project:${ctx.ownerId}`);
      return {
        kind: 'compute#project',
        id: number,
        creationTimestamp: rfc3339(csTime(account?.created)),
        name: ctx.project,
        description: account ? `CloudStack account ${account.name}` : 'CloudStack project',
        commonInstanceMetadata: {
          kind: 'compute#metadata',
          fingerprint: fingerprint(items),
          ...(items.length ? { items } : {}),
        },
        quotas: await quotas(ctx),
        defaultServiceAccount: `${number}-compute@developer.gserviceaccount.com`,
        defaultNetworkTier: 'PREMIUM',
        xpnProjectStatus: 'UNSPECIFIED_XPN_PROJECT_STATUS',
        selfLink: ctx.links.projectLink(),
      };
    },
  },
  {
    id: 'projects.setCommonInstanceMetadata',
    method: 'POST',
    path: 'projects/{project}/setCommonInstanceMetadata',
    query: ['requestId'],
    request: 'Metadata',
    response: 'Operation',
    description:
      'Sets metadata common to all instances within the specified project using the data included in the request.',
    async run(ctx, req) {
      const again = await replayed(ctx, req.query['requestId']);
      if (again) return again;
      const current = await ctx.store.projectMetadata(ctx.ownerId);
      if (req.body.fingerprint !== undefined && req.body.fingerprint !== fingerprint(current))
        throw conditionNotMet('metadata');
      await ctx.store.saveProjectMetadata(ctx.ownerId, checkMetadata(req.body));
      return startOperation(ctx, {
        type: 'setCommonInstanceMetadata',
        scope: 'global',
        location: 'global',
        targetLink: ctx.links.projectLink(),
        targetId: numericId(`project:${ctx.ownerId}`),
        jobs: [],
        requestId: req.query['requestId'],
      });
    },
  },
];
