import type { Db } from './db.js';
import { setsNothing } from './repo.js';
import type { Host, SimulatorMock } from '../domain/types.js';

export const mockStore = {
  /** The most specific live mock for a command on a host: host, then cluster, pod, zone, global. */
  async matching(
    db: Db,
    name: string,
    host: Pick<Host, 'id' | 'clusterId' | 'podId' | 'zoneId'> | undefined,
  ): Promise<SimulatorMock | undefined> {
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
  get(db: Db, id: number): Promise<SimulatorMock | undefined> {
    return db
      .selectFrom('simulatorMocks')
      .selectAll()
      .where('id', '=', id)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  sameScope(
    db: Db,
    m: Pick<SimulatorMock, 'name' | 'zoneId' | 'podId' | 'clusterId' | 'hostId'>,
  ): Promise<SimulatorMock | undefined> {
    const is = (col: 'zoneId' | 'podId' | 'clusterId' | 'hostId', v: string | null) => (eb: any) =>
      v === null ? eb(col, 'is', null) : eb(col, '=', v);
    return db
      .selectFrom('simulatorMocks')
      .selectAll()
      .where('name', '=', m.name)
      .where('removed', 'is', null)
      .where(is('zoneId', m.zoneId))
      .where(is('podId', m.podId))
      .where(is('clusterId', m.clusterId))
      .where(is('hostId', m.hostId))
      .executeTakeFirst();
  },
  async insert(db: Db, m: Omit<SimulatorMock, 'id'>): Promise<number> {
    const r = await db
      .insertInto('simulatorMocks')
      .values(m as SimulatorMock)
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  },
  async update(db: Db, id: number, patch: Partial<SimulatorMock>): Promise<void> {
    if (setsNothing(patch)) return;
    await db.updateTable('simulatorMocks').set(patch).where('id', '=', id).execute();
  },
  async decrement(db: Db, id: number): Promise<void> {
    await db
      .updateTable('simulatorMocks')
      .set((eb) => ({ count: eb('count', '-', 1) }))
      .where('id', '=', id)
      .execute();
  },
};
