import { newId } from '../../domain/ids.js';
import { DEFAULT_ACLS, DEFAULT_VPC_OFFERING, type NetworkAclItem } from '../../domain/networking.js';
import type { Db } from '../../store/db.js';
import { networkAclStore } from '../../store/networkacl.store.js';
import { vpcStore, vpcOfferingRows } from '../../store/vpc.store.js';

const VPC_VR = ['VpcVirtualRouter'];

/** What a fresh management server has for VPCs: the default VPC offering and the two built-in ACL lists. */
export async function ensureNetworkingCatalog(db: Db, now: number): Promise<void> {
  if ((await vpcStore.offerings(db, { name: DEFAULT_VPC_OFFERING })).length === 0) {
    await vpcOfferingRows.insert(db, {
      id: newId(),
      name: DEFAULT_VPC_OFFERING,
      displayText: DEFAULT_VPC_OFFERING,
      state: 'Enabled',
      isDefault: 1,
      created: now,
      services: JSON.stringify({
        Dhcp: VPC_VR,
        Dns: VPC_VR,
        UserData: VPC_VR,
        SourceNat: VPC_VR,
        StaticNat: VPC_VR,
        PortForwarding: VPC_VR,
        Lb: VPC_VR,
        NetworkACL: VPC_VR,
        Vpn: VPC_VR,
      }),
    });
  }
  for (const [name, action] of [
    [DEFAULT_ACLS.allow, 'Allow'],
    [DEFAULT_ACLS.deny, 'Deny'],
  ] as const) {
    if (await networkAclStore.builtIn(db, name)) continue;
    const id = newId();
    const description = action === 'Allow' ? 'Default Network ACL Allow All' : 'Default Network ACL Deny All';
    await networkAclStore.insert(db, {
      id,
      name,
      description,
      vpcId: null,
      accountId: null,
      domainId: null,
      created: now,
    });
    // CloudStack's built-in lists hold one rule per direction, numbered 1 and 2.
    for (const [number, trafficType] of [
      [1, 'Ingress'],
      [2, 'Egress'],
    ] as const) {
      const item: NetworkAclItem = {
        id: newId(),
        aclId: id,
        number,
        protocol: 'all',
        startPort: null,
        endPort: null,
        icmpType: null,
        icmpCode: null,
        cidrList: '0.0.0.0/0',
        action,
        trafficType,
        reason: null,
        state: 'Active',
        accountId: null,
        domainId: null,
        created: now,
      };
      await networkAclStore.insertItem(db, item);
    }
  }
}
