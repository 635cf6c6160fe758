import { DomainError } from '../../domain/errors.js';
import { ROLE_TYPES } from '../../domain/organisation.js';
import type { Services } from '../../services/services.js';
import { fields, job, list, object, success, type CommandContext, type CommandDef } from '../command.js';
import { CsError } from '../errors.js';
import { backupViews, offeringView, providerView, scheduleView } from '../views/backup.view.js';
import type { ResultRenderer } from '../views/job.view.js';
import { listScope, paging, slice } from './common.js';
import { cmdOf } from './networking.common.js';

/**
 * Most backup commands catch whatever the manager throws and answer ServerApiException with its
 * message: INTERNAL_ERROR (530), or PARAM_ERROR (431) for an InvalidParameterValueException where the
 * command tells the two apart. A bare ServerApiException carries cserrorcode 9999.
 */
async function serverApi<T>(work: () => Promise<T>, paramErrors = false): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof DomainError)
      throw new CsError(paramErrors && e.code === 'InvalidParameter' ? 431 : 530, e.message, 9999);
    throw e;
  }
}

/** Every role type: the user backup commands' APICommand.authorized. */
const ALL = { authorized: ROLE_TYPES, annotated: ROLE_TYPES };

const offerings = async (s: Services, items: Parameters<typeof offeringView>[1][]) => {
  const lk = s.lookup();
  return Promise.all(items.map((o) => offeringView(lk, o)));
};

const scheduleAnswer = async (ctx: CommandContext) => {
  const p = ctx.params;
  const s = await serverApi(() =>
    ctx.services.backupSchedules.configure(ctx.caller, {
      vmId: p.req('virtualmachineid'),
      intervalType: p.req('intervaltype'),
      schedule: p.req('schedule'),
      timezone: p.req('timezone'),
    }),
  );
  return object('backupschedule', scheduleView(s, (await ctx.services.lookup().vms([s.vmId])).get(s.vmId)));
};

/** The backup and recovery framework's offering commands (BackupManagerImpl.getCommands). */
const offeringCommands: CommandDef[] = [
  {
    name: 'listBackupProviders',
    admin: true,
    async handle({ services, params: p }) {
      const all = services.backupOfferings.providers(p.str('name')).map(providerView);
      return list('providers', all, all.length);
    },
  },
  {
    name: 'listBackupProviderOfferings',
    admin: true,
    // Each answer is a fresh set of unsaved offerings (new ids, created now): no cached answer may stand in for it.
    uncached: true,
    async handle({ caller, services, params: p }) {
      const all = await serverApi(
        async () => services.backupOfferings.providerOfferings(caller, p.req('zoneid')),
        true,
      );
      return list('backupoffering', await offerings(services, all), all.length);
    },
  },
  {
    name: 'importBackupOffering',
    admin: true,
    async handle(ctx) {
      const p = ctx.params;
      const r = {
        name: p.req('name'),
        description: p.req('description'),
        externalId: p.req('externalid'),
        zoneId: p.req('zoneid'),
        userDrivenBackups: p.bool('allowuserdrivenbackups', false),
      };
      return job(await ctx.services.backupOfferings.submitImport(ctx.caller, r, cmdOf(ctx)));
    },
  },
  {
    name: 'listBackupOfferings',
    ...ALL,
    async handle({ services, params: p }) {
      const page = paging(p, services);
      const all = await serverApi(
        () => services.backupOfferings.list({ id: p.uuid('id'), zoneId: p.uuid('zoneid'), keyword: p.str('keyword') }),
        true,
      );
      return list('backupoffering', await offerings(services, slice(all, page)), all.length);
    },
  },
  {
    name: 'updateBackupOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      const o = await serverApi(
        () =>
          services.backupOfferings.update(caller, p.req('id'), {
            name: p.str('name'),
            description: p.str('description'),
            allowUserDrivenBackups: p.bool('allowuserdrivenbackups'),
          }),
        true,
      );
      return object('backupoffering', await offeringView(services.lookup(), o));
    },
  },
  {
    // DeleteBackupOfferingCmd lets the manager's CloudRuntimeException through (530, cserrorcode 4250).
    name: 'deleteBackupOffering',
    admin: true,
    async handle({ caller, services, params: p }) {
      await services.backupOfferings.remove(caller, p.req('id'));
      return success();
    },
  },
];

/** The commands on a VM's backups and schedule. */
const vmBackupCommands: CommandDef[] = [
  {
    name: 'assignVirtualMachineToBackupOffering',
    ...ALL,
    async handle(ctx) {
      const vmId = ctx.params.req('virtualmachineid');
      return job(
        await ctx.services.backups.submit(
          ctx.caller,
          'assign',
          { vmId, offeringId: ctx.params.req('backupofferingid') },
          cmdOf(ctx),
          vmId,
        ),
      );
    },
  },
  {
    name: 'removeVirtualMachineFromBackupOffering',
    ...ALL,
    async handle(ctx) {
      return job(
        await ctx.services.backups.submit(
          ctx.caller,
          'unassign',
          { vmId: ctx.params.req('virtualmachineid'), forced: ctx.params.bool('forced', false) },
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    name: 'createBackup',
    ...ALL,
    async handle(ctx) {
      return job(
        await ctx.services.backups.submit(
          ctx.caller,
          'create',
          { vmId: ctx.params.req('virtualmachineid') },
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    name: 'listBackups',
    ...ALL,
    async handle({ caller, services, params: p }) {
      const page = paging(p, services);
      const all = await serverApi(() =>
        services.backups.list(caller, listScope(p), {
          id: p.uuid('id'),
          vmId: p.uuid('virtualmachineid'),
          zoneId: p.uuid('zoneid'),
          keyword: p.str('keyword'),
        }),
      );
      return list('backup', await backupViews(services.lookup(), slice(all, page)), all.length);
    },
  },
  {
    name: 'deleteBackup',
    ...ALL,
    async handle(ctx) {
      return job(
        await ctx.services.backups.submit(
          ctx.caller,
          'remove',
          { id: ctx.params.req('id'), forced: ctx.params.bool('forced', false) },
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    name: 'restoreBackup',
    ...ALL,
    async handle(ctx) {
      return job(await ctx.services.backups.submit(ctx.caller, 'restore', { id: ctx.params.req('id') }, cmdOf(ctx)));
    },
  },
  {
    name: 'restoreVolumeFromBackupAndAttachToVM',
    ...ALL,
    async handle(ctx) {
      const p = ctx.params;
      const vmId = p.req('virtualmachineid');
      return job(
        await ctx.services.backups.submit(
          ctx.caller,
          'restoreVolume',
          { backupId: p.req('backupid'), volumeId: p.req('volumeid'), vmId },
          cmdOf(ctx),
          vmId,
        ),
      );
    },
  },
  { name: 'createBackupSchedule', ...ALL, handle: scheduleAnswer },
  // UpdateBackupScheduleCmd is CreateBackupScheduleCmd under another name.
  { name: 'updateBackupSchedule', ...ALL, handle: scheduleAnswer },
  {
    name: 'listBackupSchedule',
    ...ALL,
    async handle({ caller, services, params: p }) {
      const s = await serverApi(() => services.backupSchedules.ofVm(caller, p.req('virtualmachineid')));
      // No schedule: an empty BackupScheduleResponse, which the UI reads as "none".
      if (!s) return fields({});
      return object('backupschedule', scheduleView(s, (await services.lookup().vms([s.vmId])).get(s.vmId)));
    },
  },
  {
    name: 'deleteBackupSchedule',
    ...ALL,
    async handle({ caller, services, params: p }) {
      await serverApi(() => services.backupSchedules.remove(caller, p.req('virtualmachineid')));
      return success();
    },
  },
];

export const backupCommands: CommandDef[] = [...offeringCommands, ...vmBackupCommands];

/** What the backup jobs answer with: importBackupOffering's offering. */
export const backupRenderers = (s: Services): Record<string, ResultRenderer> => ({
  BackupOffering: async (lk, id) => {
    const o = await s.backupOfferings.get(id);
    return o ? ['backupoffering', await offeringView(lk, o)] : undefined;
  },
});
