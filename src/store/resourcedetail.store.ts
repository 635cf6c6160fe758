import type { Db } from './db.js';
import type { ResourceDetail } from '../domain/types.js';

/** Key/value details of resources (the *_details tables of ResourceMetaDataManagerImpl, kept in one). */
export const resourceDetailStore = {
  list(
    db: Db,
    f: { resourceType: string; resourceId?: string; name?: string; value?: string; display?: boolean },
  ): Promise<ResourceDetail[]> {
    let q = db.selectFrom('resourceDetails').selectAll().where('resourceType', '=', f.resourceType);
    if (f.resourceId !== undefined) q = q.where('resourceId', '=', f.resourceId);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    if (f.value !== undefined) q = q.where('value', '=', f.value);
    if (f.display !== undefined) q = q.where('display', '=', f.display ? 1 : 0);
    return q.orderBy('created').orderBy('id').execute();
  },
  /** ResourceDetailsDaoBase.addDetail: a key set again replaces its row. */
  async put(db: Db, d: ResourceDetail): Promise<void> {
    await db
      .deleteFrom('resourceDetails')
      .where('resourceType', '=', d.resourceType)
      .where('resourceId', '=', d.resourceId)
      .where('name', '=', d.name)
      .execute();
    await db.insertInto('resourceDetails').values(d).execute();
  },
  async remove(db: Db, resourceType: string, resourceId: string, name?: string): Promise<void> {
    let q = db
      .deleteFrom('resourceDetails')
      .where('resourceType', '=', resourceType)
      .where('resourceId', '=', resourceId);
    if (name !== undefined) q = q.where('name', '=', name);
    await q.execute();
  },
};
