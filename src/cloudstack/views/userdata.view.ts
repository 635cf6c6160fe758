import type { UserData } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { ownerFields } from './owner.view.js';

/** UserDataResponse. */
export async function userDataView(lk: Lookup, u: UserData): Promise<Record<string, unknown>> {
  return {
    id: u.id,
    name: u.name,
    ...(await ownerFields(lk, u.accountId, u.domainId)),
    userdata: u.userData,
    ...(u.params ? { params: u.params } : {}),
    hasannotations: false,
  };
}
