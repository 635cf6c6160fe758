import type { Clock } from '../domain/clock.js';
import { DomainError, invalid, notFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Tag } from '../domain/types.js';
import type { Db, Store } from '../store/db.js';
import { tagStore, TAGGABLE, type TaggableType } from '../store/tag.store.js';
import { assertAccess, type Caller } from '../domain/caller.js';
import { eventLog } from './operations/events.js';
import { scopeAccounts, type ListScope } from './identity/scope.js';

export class TagService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  private resourceType(type: string): TaggableType {
    const t = Object.keys(TAGGABLE).find((k) => k.toLowerCase() === type.toLowerCase());
    if (!t) throw invalid(`Unable to find resource type ${type}`, 'resourcetype');
    return t as TaggableType;
  }

  private async owner(db: Db, caller: Caller, type: TaggableType, id: string) {
    const o = await tagStore.ownerOf(db, type, id);
    if (!o) throw invalid(`Unable to find resource by id ${id} and type ${type}`, 'resourceids');
    assertAccess(caller, o, type, id);
    return o;
  }

  async create(
    caller: Caller,
    type: string,
    ids: string[],
    tags: { key: string; value: string }[],
    customer?: string,
  ): Promise<void> {
    const t = this.resourceType(type);
    if (tags.length === 0) throw invalid('Tags are required', 'tags');
    for (const tag of tags) {
      if (!tag.key) throw invalid('Tag key can not be empty', 'tags');
      if (tag.value === undefined) throw invalid(`Value for the key ${tag.key} is either null or empty`, 'tags');
    }
    await this.store.tx(async (trx) => {
      for (const id of ids) {
        const o = await this.owner(trx, caller, t, id);
        for (const tag of tags) {
          if (await tagStore.byKey(trx, id, tag.key))
            throw new DomainError('InvalidParameter', `tag ${tag.key} already on ${t} with id ${id}`, {
              param: 'tags',
            });
          const row: Tag = {
            id: newId(),
            key: tag.key,
            value: tag.value,
            resourceType: t,
            resourceId: id,
            accountId: o.accountId ?? caller.accountId,
            domainId: o.domainId ?? caller.domainId,
            customer: customer ?? null,
          };
          await tagStore.insert(trx, row);
        }
        await eventLog(trx, this.clock, {
          type: 'CREATE_TAGS',
          description: `Created tags on ${t} ${id}`,
          accountId: caller.accountId,
          domainId: caller.domainId,
          userId: caller.userId,
          resourceId: id,
          resourceType: t,
        });
      }
    });
  }

  async remove(caller: Caller, type: string, ids: string[], tags?: { key?: string; value?: string }[]): Promise<void> {
    const t = this.resourceType(type);
    await this.store.tx(async (trx) => {
      for (const id of ids) {
        await this.owner(trx, caller, t, id);
        const existing = await tagStore.ofResource(trx, id);
        const doomed = existing.filter(
          (x) =>
            !tags?.length ||
            tags.some((w) => (!w.key || w.key === x.key) && (w.value === undefined || w.value === x.value)),
        );
        if (doomed.length === 0 && tags?.length) throw notFound('Tag', tags.map((w) => w.key).join(','));
        for (const d of doomed) await tagStore.remove(trx, d.id);
      }
    });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { resourceType?: string; resourceId?: string; key?: string; value?: string; customer?: string },
  ): Promise<Tag[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return tagStore.list(this.store.db, { ...f, accountIds: accounts });
  }

  tagsOf(ids: string[]): Promise<Map<string, Tag[]>> {
    return tagStore.ofResources(this.store.db, ids);
  }

  /** Ids carrying every one of the given key/value pairs (the `tags[i]` filter of list commands). */
  async matching(tags: { key?: string; value?: string }[]): Promise<string[] | undefined> {
    if (!tags.length) return undefined;
    return tagStore.matching(this.store.db, tags);
  }
}
