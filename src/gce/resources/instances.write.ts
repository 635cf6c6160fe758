import type { WireServiceOffering } from '../../cloudstack/wire.js';
import type { GceContext } from '../context.js';
import { invalidField, invalidUsage, required } from '../errors.js';
import { parseRef } from '../ids.js';
import { replayed } from '../operations.js';
import type { Route, RouteRequest } from '../route.js';
import { settingsOf } from '../store/compute.js';
import { offeringNamed } from './machinetypes.js';
import { target, type Target } from './instances.actions.js';

/** What the instance methods of instances.more.ts, .nat.ts, .info.ts and .update.ts share. */
const STOPPED_ONLY = 'Instance should be in the STOPPED state.';

/** Google changes these only on a TERMINATED instance (a suspended one is not). */
export async function mustBeStopped(ctx: GceContext, t: Target): Promise<void> {
  if (t.vm.state !== 'Stopped' || (await settingsOf(ctx.store, t.vm.id)).suspended) throw invalidUsage(STOPPED_ONLY);
}

/** The service offering a machine-type reference names in the instance's zone, or Google's 400. */
export async function offeringOf(
  ctx: GceContext,
  t: Target,
  value: unknown,
  field: string,
): Promise<WireServiceOffering> {
  if (value === undefined || value === null || value === '') throw required(field);
  const ref = parseRef(String(value));
  if (ref.zone && ref.zone !== t.zone.name)
    throw invalidField(field, value, `Machine type must be in zone '${t.zone.name}'.`);
  const offering = await offeringNamed(ctx, t.zone, ref.name);
  if (!offering)
    throw invalidField(field, value, `Machine type with name '${ref.name}' does not exist in zone '${t.zone.name}'.`);
  return offering;
}

/** A write on one instance: a repeated requestId gets its first Operation back; the instance is looked up first. */
export const onInstance =
  (run: (ctx: GceContext, t: Target, req: RouteRequest) => Promise<unknown>, param = 'instance'): Route['run'] =>
  async (ctx, req) =>
    (await replayed(ctx, req.query['requestId'])) ??
    run(ctx, await target(ctx, req.params['zone']!, req.params[param]!), req);
