import type { SnapshotPolicy } from '../../domain/storage.js';
import type { Services } from '../../services/services.js';
import { isAdmin, isRootAdmin } from '../../domain/caller.js';
import { commandClass } from '../cmdclass.js';
import { job, list, object, success, type CommandDef } from '../command.js';
import { snapshotPolicyViews } from '../views/snapshotpolicy.view.js';
import { paging, tagPairs, uuidList } from './common.js';

export async function snapshotPolicyRows(s: Services, policies: SnapshotPolicy[]): Promise<Record<string, unknown>[]> {
  return snapshotPolicyViews(s.lookup(), policies);
}

export const snapshotPolicyCommands: CommandDef[] = [
  {
    name: 'createSnapshotPolicy',
    async handle({ caller, services, params: p }) {
      const policy = await services.snapshotPolicies.create(caller, {
        volumeId: p.req('volumeid'),
        intervalType: p.req('intervaltype'),
        maxSnaps: p.int('maxsnaps')!,
        schedule: p.req('schedule'),
        timezone: p.req('timezone'),
        // fordisplay is authorized for the Admin role type: ParamProcessWorker drops it for anyone else.
        display: isRootAdmin(caller) ? p.bool('fordisplay', true) : true,
        tags: tagPairs(p),
      });
      return object('snapshotpolicy', (await snapshotPolicyRows(services, [policy]))[0]!);
    },
  },
  {
    name: 'updateSnapshotPolicy',
    async handle(ctx) {
      const p = ctx.params;
      const display = isRootAdmin(ctx.caller) ? p.bool('fordisplay') : undefined;
      return job(
        await ctx.services.snapshotPolicies.submitUpdate(
          ctx.caller,
          p.uuid('id'),
          display,
          commandClass(ctx.command, isAdmin(ctx.caller)),
        ),
      );
    },
  },
  {
    name: 'listSnapshotPolicies',
    async handle({ caller, services, params: p }) {
      // BaseListCmd checks page and pagesize, but listPoliciesforVolume answers every policy (the DAO gets no Filter).
      paging(p, services);
      const policies = await services.snapshotPolicies.list(caller, {
        id: p.uuid('id'),
        volumeId: p.uuid('volumeid'),
        display: isRootAdmin(caller) ? p.bool('fordisplay', true) : true,
      });
      return list('snapshotpolicy', await snapshotPolicyRows(services, policies), policies.length);
    },
  },
  {
    name: 'deleteSnapshotPolicies',
    async handle({ caller, services, params: p }) {
      await services.snapshotPolicies.remove(caller, p.uuid('id'), p.has('ids') ? uuidList(p, 'ids') : undefined);
      return success();
    },
  },
];
