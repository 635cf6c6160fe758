import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Template, UserData } from '../../domain/types.js';
import type { Store } from '../../store/db.js';
import { templateStore } from '../../store/template.store.js';
import { userDataStore, userDataRows } from '../../store/userdata.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { validateUserData, type Transport } from './userdata.js';

/** UserData.UserDataOverridePolicy: what a deploy's own userdata may do to a template's linked one. */
export const USER_DATA_POLICIES = ['ALLOWOVERRIDE', 'APPEND', 'DENYOVERRIDE'] as const;

export interface UserDataRegistration extends OwnerRequest {
  name: string;
  userData: string;
  params?: string;
  transport: Transport;
}

export interface UserDataLink {
  templateId?: string;
  isoId?: string;
  userDataId?: string;
  policy?: string;
}

/** The userdata registry (4.18's ManagementServerImpl register/list/deleteUserData, TemplateManagerImpl.linkUserDataToTemplate). */
export class UserDataService {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
  ) {}

  async register(caller: Caller, r: UserDataRegistration): Promise<UserData> {
    return this.store.tx(async (trx) => {
      const owner = await resolveOwner(trx, caller, r);
      if (await userDataStore.byName(trx, owner.id, r.name))
        throw invalid(`A userdata with name ${r.name} already exists for this account.`, 'name');
      // Compared as given, before it is validated and re-encoded (checkForUserData runs first).
      const same = await userDataStore.byContent(trx, owner.id, r.userData);
      if (same) throw invalid(`Userdata ${same.name} with same content already exists for this account.`, 'userdata');
      const content = validateUserData(r.userData, r.transport, this.config.num('vm.userdata.max.length', 32768));
      const ud: UserData = {
        id: newId(),
        name: r.name,
        accountId: owner.id,
        domainId: owner.domainId,
        userData: content,
        params: r.params ?? null,
        created: this.clock.now(),
      };
      await userDataRows.insert(trx, ud);
      await eventLog(trx, this.clock, {
        type: 'REGISTER.USER.DATA',
        description: `Registered userdata ${r.name}`,
        accountId: owner.id,
        domainId: owner.domainId,
        userId: caller.userId,
        resourceId: ud.id,
        resourceType: 'UserData',
      });
      return ud;
    });
  }

  /** listUserData builds its ACL without the id: another account's userdata needs listall (or account/domainid). */
  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; name?: string; keyword?: string },
  ): Promise<UserData[]> {
    const accounts = await scopeAccounts(this.store.db, caller, { ...scope, id: undefined });
    return userDataStore.list(this.store.db, { ...f, accountIds: accounts });
  }

  /** deleteUserData: refused while a template or ISO links to it. */
  async remove(caller: Caller, id: string, o: OwnerRequest): Promise<void> {
    await this.store.tx(async (trx) => {
      const owner = await resolveOwner(trx, caller, o);
      const ud = await userDataStore.get(trx, id);
      if (!ud)
        throw invalid(
          `A UserData with id '${id}' does not exist for account ${owner.name} in specified domain id`,
          'id',
        );
      // 4.18 looks the row up by id alone; the owner check keeps one account from removing another's.
      assertAccess(caller, ud, 'UserData', id);
      if ((await userDataStore.linkedTemplates(trx, id)) > 0)
        throw runtimeFailure(`Userdata ${ud.name} cannot be removed as it is linked to active template/templates`);
      await userDataStore.remove(trx, id);
    });
  }

  /**
   * linkUserDataToTemplate: links (or, without userdataid, unlinks) a template's or ISO's userdata.
   * LinkUserDataToTemplateCmd turns every refusal into a CloudRuntimeException (530) with its text.
   */
  async link(caller: Caller, l: UserDataLink): Promise<Template> {
    try {
      return await this.linkIn(caller, l);
    } catch (e) {
      if (e instanceof DomainError) throw runtimeFailure(`Failed to link userdata to template, due to: ${e.message}`);
      throw e;
    }
  }

  private async linkIn(caller: Caller, l: UserDataLink): Promise<Template> {
    if (l.templateId && l.isoId)
      throw invalid('Both Template ID and ISO ID are passed, API accepts only one', 'templateid');
    if (!l.templateId && !l.isoId)
      throw invalid('At least one of Template ID or ISO ID needs to be passed', 'templateid');
    const policy = (l.policy ?? 'ALLOWOVERRIDE').toUpperCase();
    if (!(USER_DATA_POLICIES as readonly string[]).includes(policy))
      throw invalid(`No enum constant com.cloud.user.UserData.UserDataOverridePolicy.${policy}`, 'userdatapolicy');
    return this.store.tx(async (trx) => {
      const id = (l.templateId ?? l.isoId)!;
      const t = await templateStore.get(trx, id);
      if (!t || t.removed)
        throw invalid(`Unable to find Template/ISO with ID ${id}`, l.templateId ? 'templateid' : 'isoid');
      assertAccess(caller, t, t.isIso ? 'Iso' : 'Template', id);
      let link: { userDataId: string | null; userDataPolicy: string | null } = {
        userDataId: null,
        userDataPolicy: null,
      };
      if (l.userDataId) {
        const ud = await userDataStore.get(trx, l.userDataId);
        if (!ud) throw invalid('Unable to find user data with the specified ID.', 'userdataid');
        assertAccess(caller, ud, 'UserData', ud.id);
        link = { userDataId: ud.id, userDataPolicy: policy };
      }
      await userDataStore.linkTemplate(trx, t.id, link.userDataId, link.userDataPolicy);
      return { ...t, ...link };
    });
  }
}
