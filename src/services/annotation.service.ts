import type { Clock } from '../domain/clock.js';
import { failed, invalid } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { ANNOTATION_TYPES, type Annotation } from '../domain/organisation.js';
import { annotationStore, annotationRows } from '../store/annotation.store.js';
import type { Db, Store } from '../store/db.js';
import { assertAccess, isAdmin, type Caller } from '../domain/caller.js';
import { eventLog } from './operations/events.js';

export interface AnnotationFilter {
  id?: string;
  entityType?: string;
  entityId?: string;
  userId?: string;
  filter?: string;
  keyword?: string;
}

/**
 * AnnotationManagerImpl: admins annotate anything; a user annotates only its own resources of the
 * types users may annotate, and never sees admins-only annotations.
 */
export class AnnotationService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  async add(
    caller: Caller,
    a: { text: string; entityType: string; entityId: string; adminsOnly: boolean },
  ): Promise<Annotation> {
    const type = entityType(a.entityType);
    return this.store.tx(async (trx) => {
      if (!isAdmin(caller) && !ANNOTATION_TYPES[type])
        throw failed(`User: ${caller.username} is not allowed to add annotations on type: ${type}`);
      await this.checkOwned(trx, caller, type, a.entityId);
      const row: Annotation = {
        id: newId(),
        entityType: type,
        entityId: a.entityId,
        annotation: a.text,
        userId: caller.userId,
        adminsOnly: a.adminsOnly ? 1 : 0,
        created: this.clock.now(),
        removed: null,
      };
      await annotationRows.insert(trx, row);
      await eventLog(trx, this.clock, {
        type: 'ANNOTATION.CREATE',
        description: `adding an annotation on ${type} ${a.entityId}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
      });
      return row;
    });
  }

  async remove(caller: Caller, id: string): Promise<Annotation> {
    return this.store.tx(async (trx) => {
      const a = await annotationStore.byId(trx, id);
      if (!a || (!isAdmin(caller) && a.userId !== caller.userId))
        throw failed(
          `Only administrators or entity owner users can delete annotations, cannot remove annotation with uuid: ${id} - type: ${a?.entityType ?? null} `,
        );
      const removed = this.clock.now();
      await annotationRows.update(trx, id, { removed });
      await eventLog(trx, this.clock, {
        type: 'ANNOTATION.REMOVE',
        description: `removing an annotation on ${a.entityType} ${a.entityId}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
      });
      return { ...a, removed };
    });
  }

  async setVisibility(caller: Caller, id: string, adminsOnly: boolean): Promise<Annotation> {
    return this.store.tx(async (trx) => {
      const a = await annotationStore.byId(trx, id);
      if (!a || !isAdmin(caller)) {
        const desc = a ? `Type: ${a.entityType}` : `Annotation id:${id} does not exist`;
        throw failed(
          `Only admins can update annotations' visibility. Cannot update visibility for annotation with id: ${id} - ${desc}`,
        );
      }
      await annotationRows.update(trx, id, { adminsOnly: adminsOnly ? 1 : 0 });
      return { ...a, adminsOnly: adminsOnly ? 1 : 0 };
    });
  }

  /** listAnnotations (getAnnotationsForApiCmd): by id, by type (and entity), by entity, or all. */
  async list(caller: Caller, f: AnnotationFilter): Promise<Annotation[]> {
    const db = this.store.db;
    const admin = isAdmin(caller);
    const filter = f.filter || 'all';
    const userId = f.userId ?? (filter.toLowerCase() === 'self' ? caller.userId : undefined);
    const visible = (a: Annotation) =>
      (admin || a.adminsOnly === 0) && (!f.keyword || a.annotation.includes(f.keyword));
    if (f.id) {
      const a = await annotationStore.byId(db, f.id);
      return a &&
        (filter === 'all' || a.userId === caller.userId) &&
        (!f.userId || a.userId === f.userId) &&
        a.adminsOnly === (admin ? 1 : 0)
        ? [a]
        : [];
    }
    let type = f.entityType;
    if (!type && f.entityId) type = (await annotationStore.list(db, { entityId: f.entityId }))[0]?.entityType;
    if (!type && f.entityId) return [];
    if (type && f.entityId) {
      await this.checkOwned(db, caller, entityType(type), f.entityId);
      return (await annotationStore.list(db, { entityType: type, entityId: f.entityId, userId })).filter(visible);
    }
    const all = (await annotationStore.list(db, { entityType: type, userId })).filter(visible);
    if (admin) return all;
    const owned: Annotation[] = [];
    for (const a of all) if (await this.owns(db, caller, a.entityType, a.entityId)) owned.push(a);
    return owned;
  }

  /** The name of the annotated entity, for the response. */
  async entityName(a: Annotation): Promise<string | undefined> {
    return (await annotationStore.entity(this.store.db, a.entityType, a.entityId))?.name;
  }

  /** The newest visible annotation of each entity (listHosts' annotation, lastannotated and username). */
  async latest(entityIds: string[]): Promise<Map<string, Annotation>> {
    const out = new Map<string, Annotation>();
    for (const id of entityIds) {
      const rows = await annotationStore.list(this.store.db, { entityId: id });
      if (rows.length) out.set(id, rows[rows.length - 1]!);
    }
    return out;
  }

  /**
   * isEntityOwnedByTheUser: admins pass; for a user the entity must exist and be of a user type
   * (else the call fails), and the answer is whether it may access it (add and the entity listing
   * go on either way, as in 4.18; the listing of all annotations keeps the owned ones).
   */
  private async checkOwned(db: Db, caller: Caller, type: string, id: string): Promise<boolean> {
    if (isAdmin(caller)) return true;
    if (!ANNOTATION_TYPES[type]) throw failed(`Invalid entity type ${type}`);
    const found = await annotationStore.entity(db, type, id);
    if (!found) throw failed(`Could not find an entity with type: ${type} and ID: ${id}`);
    try {
      assertAccess(caller, { accountId: found.accountId ?? null }, type, id);
      return true;
    } catch {
      return false;
    }
  }

  private async owns(db: Db, caller: Caller, type: string, id: string): Promise<boolean> {
    try {
      return await this.checkOwned(db, caller, type, id);
    } catch {
      return false;
    }
  }
}

/** EntityType.valueOf: the exact constant name or a refusal. */
function entityType(name: string): string {
  if (!Object.hasOwn(ANNOTATION_TYPES, name))
    throw invalid(
      `No enum constant org.apache.cloudstack.annotation.AnnotationService.EntityType.${name}`,
      'entitytype',
    );
  return name;
}
