import type { Db } from './db.js';
import type { Host, SimulatorMock } from '../domain/types.js';

export const mockStore = {
  /** The most specific live mock for a command on a host: host, then cluster, pod, zone, global. */
  async matching(db: Db, name: string, host: Pick<Host, 'id' | 'clusterId' | 'podId' | 'zoneId'> | undefined): Promise<SimulatorMock | undefined> {
    const rows = await db
      .selectFrom('simulatorMocks')
      .selectAll()
      .where('name', '=', name)
      .where('removed', 'is', null)
      .where((eb) => eb.or([eb('count', 'is', null), eb('count', '>', 0)]))
      .execute();
    const rank = (m: SimulatorMock): number => {
      if (m.hostId) return m.hostId === host?.id ? 4 : -1;
      if (m.clusterId) return m.clusterId === host?.clusterId ? 3 : -1;
      if (m.podId) return m.podId === host?.podId ? 2 : -1;
      if (m.zoneId) return m.zoneId === host?.zoneId ? 1 : -1;
      return 0;
    };
    return rows.filter((m) => rank(m) >= 0).sort((a, b) => rank(b) - rank(a))[0];
  },
  async decrement(db: Db, id: number): Promise<void> {
    await db.updateTable('simulatorMocks').set((eb) => ({ count: eb('count', '-', 1) })).where('id', '=', id).execute();
  },
};
