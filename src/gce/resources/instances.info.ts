import { csList, type GceContext } from '../context.js';
import { GceError, invalidField, notFound, required, unsupported } from '../errors.js';
import type { Route } from '../route.js';
import { settingsOf } from '../store/compute.js';
import { firewallView } from './firewalls.js';
import { target, type Target } from './instances.actions.js';

/**
 * Read-only instance methods: guest attributes, the screenshot and the firewalls in effect.
 * Guest attributes are what the guest writes to its metadata server; polystack's simulated guests
 * write none, so every query finds nothing (404 as Google answers for an empty path). There is no
 * framebuffer to take a screenshot of.
 */
const path = 'projects/{project}/zones/{zone}/instances/{instance}';

/**
 * Nothing writes guest attributes here: polystack's simulated guests run no guest agent and its
 * metadata server takes no PUT. Google answers a query that finds nothing (or an instance without
 * `enable-guest-attributes`) with a 404 for the path, and so does this.
 */
async function guestAttributes(ctx: GceContext, t: Target, query: Record<string, string | undefined>): Promise<never> {
  throw notFound(`${ctx.links.relative(t.link)}/guestAttributes/${query['variableKey'] ?? query['queryPath'] ?? ''}`);
}

async function screenshot(ctx: GceContext, t: Target): Promise<unknown> {
  if (!(await settingsOf(ctx.store, t.vm.id)).enableDisplay)
    throw new GceError(400, 'badRequest', 'Display device needs to be enabled for the instance.');
  throw unsupported('Screenshots of an instance with a display device');
}

/** The firewalls that apply to the instance: the security groups CloudStack has it in, as firewalls. */
async function effectiveFirewalls(ctx: GceContext, t: Target, nicName: string | undefined): Promise<unknown> {
  if (!nicName) throw required('networkInterface');
  const nics = (t.vm.nic ?? []) as unknown[];
  if (!/^nic\d+$/.test(nicName) || Number(nicName.slice(3)) >= nics.length)
    throw invalidField('networkInterface', nicName, `The instance has no network interface named '${nicName}'.`);
  const ids = new Set((t.vm.securitygroup ?? []).map((g) => g.id));
  const groups = ids.size
    ? (await csList(ctx, 'listSecurityGroups', 'securitygroup', {})).filter((g) => ids.has(g.id))
    : [];
  return { firewalls: groups.map((g) => firewallView(ctx, g)) };
}

const get = (
  id: string,
  verb: string,
  query: string[],
  response: string,
  description: string,
  run: Route['run'],
): Route => ({
  id: `instances.${id}`,
  method: 'GET',
  path: `${path}/${verb}`,
  query,
  response,
  description,
  run,
});

export const instanceInfoRoutes: Route[] = [
  get(
    'getGuestAttributes',
    'getGuestAttributes',
    ['queryPath', 'variableKey'],
    'GuestAttributes',
    'Returns the specified guest attributes entry.',
    async (ctx, req) =>
      guestAttributes(ctx, await target(ctx, req.params['zone']!, req.params['instance']!), req.query),
  ),
  get(
    'getScreenshot',
    'screenshot',
    [],
    'Screenshot',
    'Returns the screenshot from the specified instance.',
    async (ctx, req) => screenshot(ctx, await target(ctx, req.params['zone']!, req.params['instance']!)),
  ),
  get(
    'getEffectiveFirewalls',
    'getEffectiveFirewalls',
    ['networkInterface'],
    'InstancesGetEffectiveFirewallsResponse',
    'Returns effective firewalls applied to an interface of the instance.',
    async (ctx, req) =>
      effectiveFirewalls(
        ctx,
        await target(ctx, req.params['zone']!, req.params['instance']!),
        req.query['networkInterface'],
      ),
  ),
];
