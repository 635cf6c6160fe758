import type { Services } from '../../services/services.js';
import type { Caller } from '../../domain/caller.js';
import type { ResultRenderer } from '../views/job.view.js';
import type { MigrationOutcome } from '../../services/storage/imagestore.migration.js';
import { extractView } from '../views/snapshot.view.js';
import { volumeView } from '../views/volume.view.js';
import { snapshotRows, vmSnapshotRows } from './snapshot.commands.js';
import { snapshotPolicyRows } from './snapshotpolicy.commands.js';
import { imageObject } from './template.commands.js';

/** How storage and image jobs' result objects are shown, keyed by the result's instance type. */
export function storageRenderers(caller: Caller, s: Services): Record<string, ResultRenderer> {
  return {
    // migrateSecondaryStorageData answers a MigrationResponse named imagestore, not the store itself.
    ImageStoreMigration: async (_lk, _id, job) => [
      'imagestore',
      { ...((job.result ? JSON.parse(job.result) : {}) as { data?: MigrationOutcome }).data },
    ],
    Volume: async (lk, id) => {
      const v = await s.volumes.find(id);
      return v ? ['volume', await volumeView(lk, v)] : undefined;
    },
    Snapshot: async (_lk, id) => {
      const snap = await s.snapshots.find(id);
      return snap ? ['snapshot', (await snapshotRows(s, [snap]))[0]!] : undefined;
    },
    SnapshotPolicy: async (_lk, id) => {
      const p = await s.snapshotPolicies.find(id);
      return p ? ['snapshotpolicy', (await snapshotPolicyRows(s, [p]))[0]!] : undefined;
    },
    VMSnapshot: async (_lk, id) => {
      const snap = await s.vmSnapshots.find(id);
      return snap ? ['vmsnapshot', (await vmSnapshotRows(s, [snap]))[0]!] : undefined;
    },
    // copyTemplate answers with the copy in the (first) destination zone; createTemplate with its one zone.
    Template: async (_lk, id, job) => {
      const t = await s.templates.find(id);
      if (!t) return undefined;
      const p = JSON.parse(job.params) as { destZoneIds?: string[]; isIso?: boolean };
      return [t.isIso ? 'iso' : 'template', await imageObject(s, caller, t, p.destZoneIds?.[0])];
    },
    TemplateExtract: async (lk, id, job) => {
      const a = await s.extracts.answer(job, id);
      return a ? ['template', await extractView(lk, a)] : undefined;
    },
    VolumeExtract: async (lk, id, job) => {
      const a = await s.extracts.answer(job, id);
      return a ? ['volume', await extractView(lk, a)] : undefined;
    },
  };
}
