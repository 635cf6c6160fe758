import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import { catalogStore } from '../../store/catalog.store.js';
import type { Store } from '../../store/db.js';
import { networkStore } from '../../store/network.store.js';
import { sshKeyStore } from '../../store/sshkey.store.js';
import { tagStore } from '../../store/tag.store.js';
import { vmStore } from '../../store/vm.store.js';

/** What an instance can learn about itself from a metadata service. */
export interface InstanceFacts {
  id: string;
  ec2Id: string;
  name: string;
  state: string;
  zone: string;
  offering: string;
  template: string;
  templateId: string;
  privateIp?: string;
  publicIp?: string;
  mac?: string;
  userData?: string;
  publicKeys: { name: string; key: string }[];
  tags: Record<string, string>;
  created: number;
}

/** EC2's id for a CloudStack VM id, derived as the EC2 front derives it. */
export const ec2InstanceId = (csId: string) =>
  `i-${createHash('sha256').update(`instance:${csId}`).digest('hex').slice(0, 17)}`;

export class MetadataService {
  constructor(private store: Store) {}

  /** An instance by CloudStack id or EC2 id; stopped or missing instances have no metadata service. */
  async facts(ref: string): Promise<InstanceFacts> {
    const db = this.store.db;
    let vm = /^[0-9a-f-]{36}$/i.test(ref) ? await vmStore.get(db, ref) : undefined;
    if (!vm && /^i-[0-9a-f]{17}$/.test(ref)) {
      // Running instances are few; match the derived EC2 id.
      vm = (await vmStore.list(db, { state: 'Running' })).items.find((v) => ec2InstanceId(v.id) === ref);
    }
    if (!vm) throw new DomainError('NotFound', `No instance ${ref}`, { kind: 'VirtualMachine', id: ref });
    if (vm.state !== 'Running')
      throw new DomainError(
        'InvalidState',
        `Instance ${ref} is ${vm.state}: its metadata service answers only while it runs`,
        { kind: 'VirtualMachine', id: vm.id },
      );
    const [zone, offering, template, nics, nat, tags] = await Promise.all([
      catalogStore.zone(db, vm.zoneId),
      catalogStore.serviceOffering(db, vm.serviceOfferingId),
      catalogStore.template(db, vm.templateId),
      vmStore.nicsOf(db, [vm.id]),
      networkStore.natOfVms(db, [vm.id]),
      tagStore.ofResource(db, vm.id),
    ]);
    const nic = nics.find((n) => n.isDefault) ?? nics[0];
    const keys = [];
    for (const name of (vm.keyPairs ?? '').split(',').filter(Boolean)) {
      const k = await sshKeyStore.byName(db, vm.accountId, name);
      if (k) keys.push({ name, key: k.publicKey });
    }
    return {
      id: vm.id,
      ec2Id: ec2InstanceId(vm.id),
      name: vm.name,
      state: vm.state,
      zone: zone?.name ?? '',
      offering: offering?.name ?? '',
      template: template?.name ?? '',
      templateId: vm.templateId,
      privateIp: nic?.ipAddress ?? undefined,
      publicIp: nat[0]?.address,
      mac: nic?.macAddress,
      userData: vm.userData ? Buffer.from(vm.userData, 'base64').toString('utf8') : undefined,
      publicKeys: keys,
      tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
      created: vm.created,
    };
  }
}
