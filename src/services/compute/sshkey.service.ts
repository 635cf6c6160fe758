import type { Clock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { encryptWithSshRsa, generateRsaKeyPair, parsePublicKey } from '../../domain/sshkeys.js';
import type { SshKeyPair } from '../../domain/types.js';
import type { Db, Store } from '../../store/db.js';
import { sshKeyStore, sshKeyPairRows } from '../../store/sshkey.store.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

export class SshKeyService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  /** createSSHKeyPair: the private key is returned once and never stored. */
  async create(caller: Caller, name: string, owner: OwnerRequest): Promise<SshKeyPair & { privateKey: string }> {
    const generated = await generateRsaKeyPair(name);
    const kp = await this.insert(caller, name, owner, generated.publicKey, generated.fingerprint);
    return { ...kp, privateKey: generated.privateKey };
  }

  async register(caller: Caller, name: string, publicKey: string, owner: OwnerRequest): Promise<SshKeyPair> {
    const parsed = parsePublicKey(publicKey);
    return this.insert(caller, name, owner, parsed.publicKey, parsed.fingerprint);
  }

  private insert(
    caller: Caller,
    name: string,
    owner: OwnerRequest,
    publicKey: string,
    fingerprint: string,
  ): Promise<SshKeyPair> {
    return this.store.tx(async (trx) => {
      const acct = await resolveOwner(trx, caller, owner);
      const dup = await sshKeyStore.byName(trx, acct.id, name);
      if (dup) throw invalid(`A key pair with name '${name}' already exists for this account.`, 'name');
      const samekey = await sshKeyStore.byFingerprint(trx, acct.id, fingerprint);
      if (samekey) throw invalid(`A key pair with key '${publicKey}' already exists for this account.`, 'publickey');
      const kp: SshKeyPair = {
        id: newId(),
        name,
        fingerprint,
        publicKey,
        accountId: acct.id,
        domainId: acct.domainId,
        created: this.clock.now(),
      };
      await sshKeyPairRows.insert(trx, kp);
      await eventLog(trx, this.clock, {
        type: 'REGISTER.SSH.KEYPAIR',
        description: `Registered SSH key pair ${name}`,
        accountId: acct.id,
        domainId: acct.domainId,
        userId: caller.userId,
        resourceId: kp.id,
        resourceType: 'SSHKeyPair',
      });
      return kp;
    });
  }

  async remove(caller: Caller, name: string, owner: OwnerRequest): Promise<void> {
    await this.store.tx(async (trx) => {
      const acct = await resolveOwner(trx, caller, owner);
      const kp = await sshKeyStore.byName(trx, acct.id, name);
      if (!kp)
        throw invalid(
          `A key pair with name '${name}' does not exist for account ${acct.name} in specified domain id`,
          'name',
        );
      await sshKeyStore.remove(trx, kp.id);
    });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; name?: string; fingerprint?: string; keyword?: string },
  ): Promise<SshKeyPair[]> {
    const db = this.store.db;
    const accounts = await scopeAccounts(db, caller, scope);
    return sshKeyStore.list(db, { ...f, accountIds: accounts });
  }

  encryptFor(kp: SshKeyPair, text: string): string {
    return encryptWithSshRsa(kp.publicKey, text);
  }

  /** The named key pairs of an account, for deploy and reset; every name must exist. */
  async forDeploy(db: Db, accountId: string, names: string[]): Promise<SshKeyPair[]> {
    const out: SshKeyPair[] = [];
    for (const name of names) {
      const kp = await sshKeyStore.byName(db, accountId, name);
      if (!kp) throw invalid(`A key pair with name '${name}' was not found for account`, 'keypair');
      out.push(kp);
    }
    return out;
  }
}
