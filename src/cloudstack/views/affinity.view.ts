import type { Wire, WireAffinityGroup } from '../wire.js';
import type { AffinityGroup } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { ownerFields } from './owner.view.js';

export async function affinityGroupView(
  lk: Lookup,
  g: AffinityGroup,
  members: string[],
): Promise<Wire<WireAffinityGroup>> {
  const v: Wire<WireAffinityGroup> = {
    id: g.id,
    name: g.name,
    type: g.type,
    ...(await ownerFields(lk, g.accountId, g.domainId)),
    virtualmachineIds: members,
  };
  if (g.description) v['description'] = g.description;
  return v;
}
