import { invalid } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import type { OobmOutcome, OobmScopeKind } from '../../services/infrastructure/oobm.service.js';
import { job, object, type CommandDef, type CommandContext } from '../command.js';
import type { ResultRenderer } from '../views/job.view.js';
import { oobmView } from '../views/oobm.view.js';
import { cmdOf } from './networking.common.js';

/** enable/disable for a host, cluster or zone: async, the id checked before the job is made. */
function toggle(
  name: string,
  kind: OobmScopeKind,
  param: 'hostid' | 'clusterid' | 'zoneid',
  enable: boolean,
): CommandDef {
  return {
    name,
    rootAdmin: true,
    async handle(ctx: CommandContext) {
      const id = ctx.params.req(param);
      await known(ctx.services, kind, id);
      return job(
        await ctx.services.oobm.submit(ctx.caller, cmdOf(ctx), enable ? 'enable' : 'disable', { kind, id }, kind),
      );
    },
  };
}

/** The commands' own refusal of an unknown host, cluster or zone (ServerApiException PARAM_ERROR). */
async function known(services: Services, kind: OobmScopeKind, id: string): Promise<void> {
  const found = kind === 'Host' ? !!(await services.hosts.get(id)) : await services.oobm.scopeExists(kind, id);
  if (!found)
    throw invalid(
      `Unable to find ${kind.toLowerCase()} by ID: ${id}`,
      kind === 'Host' ? 'hostid' : `${kind.toLowerCase()}id`,
    );
}

/** Out-of-band management (OutOfBandManagementServiceImpl's commands), root admins only. */
export const oobmCommands: CommandDef[] = [
  {
    name: 'configureOutOfBandManagement',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const hostId = p.req('hostid');
      const row = await services.oobm.configure(caller, hostId, {
        driver: p.str('driver'),
        address: p.str('address'),
        port: p.str('port'),
        username: p.str('username'),
        password: p.str('password'),
      });
      return object('outofbandmanagement', {
        hostid: row.id,
        ...oobmView(row),
        description: 'Out-of-band management successfully configured for the host',
        status: true,
      });
    },
  },
  toggle('enableOutOfBandManagementForHost', 'Host', 'hostid', true),
  toggle('disableOutOfBandManagementForHost', 'Host', 'hostid', false),
  toggle('enableOutOfBandManagementForCluster', 'Cluster', 'clusterid', true),
  toggle('disableOutOfBandManagementForCluster', 'Cluster', 'clusterid', false),
  toggle('enableOutOfBandManagementForZone', 'Zone', 'zoneid', true),
  toggle('disableOutOfBandManagementForZone', 'Zone', 'zoneid', false),
  {
    name: 'issueOutOfBandManagementPowerAction',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      const id = p.req('hostid');
      await known(ctx.services, 'Host', id);
      return job(
        await ctx.services.oobm.submit(
          ctx.caller,
          cmdOf(ctx),
          'power',
          { id, action: p.req('action'), timeout: p.int('timeout') },
          'Host',
        ),
      );
    },
  },
  {
    name: 'changeOutOfBandManagementPassword',
    rootAdmin: true,
    async handle(ctx) {
      const id = ctx.params.req('hostid');
      await known(ctx.services, 'Host', id);
      return job(
        await ctx.services.oobm.submit(
          ctx.caller,
          cmdOf(ctx),
          'password',
          { id, password: ctx.params.str('password') },
          'Host',
        ),
      );
    },
  },
];

/**
 * An out-of-band management job's answer: enable/disable answer what they did (buildEnableDisableResponse);
 * a power action answers the host's configuration as it now is, with the action and the driver's result.
 */
export function oobmRenderers(s: Services): Record<string, ResultRenderer> {
  return {
    OutOfBandManagement: async (_lk, id, job) => {
      const data = ((job.result ? JSON.parse(job.result) : {}) as { data?: OobmOutcome }).data ?? { status: true };
      if (data.action === undefined) return ['outofbandmanagement', { ...data }];
      return ['outofbandmanagement', { ...oobmView(await s.oobm.forHost(id)), ...data }];
    },
  };
}
