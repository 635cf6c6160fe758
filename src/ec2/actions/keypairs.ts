import { cs, csCall, csList, csTime, fromCloudStack, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { actions } from './types.js';
import { ed25519Pair, rsaPublicLine } from './keypairs.openssh.js';

/** EC2's key type from the OpenSSH line: ed25519 or rsa (a key made elsewhere and never seen here is taken as rsa). */
const keyTypeOf = (line: string | undefined): string => (line?.startsWith('ssh-ed25519 ') ? 'ed25519' : 'rsa');

/** CloudStack makes RSA keys only: an ed25519 pair is made here and registered, as ImportKeyPair does. */
async function createEd25519(ctx: Ec2Context, name: string): Promise<Record<string, unknown>> {
  const pair = ed25519Pair(name);
  const r = await csCall(ctx, 'registerSSHKeyPair', { name, publickey: pair.publicLine });
  if (r.status === 431 && /already exists/.test(String(r.error?.errortext))) throw duplicate(name);
  if (r.error) throw fromCloudStack(r.status, String(r.error?.errortext));
  const k = r.body['keypair'];
  await ctx.store.setAttr(k.id, 'publicKey', pair.publicLine);
  return {
    KeyName: k.name,
    KeyFingerprint: k.fingerprint,
    KeyMaterial: pair.privateKey,
    KeyPairId: await ctx.ids.of('keyPair', k.id),
  };
}

const duplicate = (name: string) => ec2Error('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);

export const keyPairActions = actions({
  async CreateKeyPair(ctx, input) {
    if (!input.KeyName) throw ec2Error('MissingParameter', 'The request must contain the parameter KeyName');
    if (input.KeyType !== undefined && input.KeyType !== 'rsa' && input.KeyType !== 'ed25519')
      throw ec2Error('InvalidParameterValue', `Value (${input.KeyType}) for parameter keyType is invalid.`);
    if (input.KeyFormat === 'ppk')
      throw ec2Error('InvalidParameterValue', 'Key format ppk is not supported by polystack: use pem');
    if (input.KeyType === 'ed25519') return createEd25519(ctx, input.KeyName);
    const r = await csCall(ctx, 'createSSHKeyPair', { name: input.KeyName });
    if (r.status === 431 && /already exists/.test(String(r.error?.errortext))) throw duplicate(input.KeyName);
    if (r.error) throw fromCloudStack(r.status, String(r.error?.errortext));
    const k = r.body['keypair'];
    // CloudStack lists no public keys: the front keeps each one for DescribeKeyPairs IncludePublicKey.
    await ctx.store.setAttr(k.id, 'publicKey', rsaPublicLine(k.privatekey, k.name));
    return {
      KeyName: k.name,
      KeyFingerprint: k.fingerprint,
      KeyMaterial: k.privatekey,
      KeyPairId: await ctx.ids.of('keyPair', k.id),
    };
  },
  async ImportKeyPair(ctx, input) {
    if (!input.KeyName) throw ec2Error('MissingParameter', 'The request must contain the parameter KeyName');
    if (!input.PublicKeyMaterial)
      throw ec2Error('MissingParameter', 'The request must contain the parameter PublicKeyMaterial');
    // The model's blob arrives base64 encoded; the key line inside is what CloudStack registers.
    const line = Buffer.from(input.PublicKeyMaterial, 'base64').toString('utf8');
    const r = await csCall(ctx, 'registerSSHKeyPair', { name: input.KeyName, publickey: line });
    if (r.status === 431 && /already exists/.test(String(r.error?.errortext))) throw duplicate(input.KeyName);
    if (r.status === 431 && /Public key is invalid/.test(String(r.error?.errortext)))
      throw ec2Error('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
    if (r.error) throw fromCloudStack(r.status, String(r.error?.errortext));
    const k = r.body['keypair'];
    await ctx.store.setAttr(k.id, 'publicKey', line.trim());
    return { KeyName: k.name, KeyFingerprint: k.fingerprint, KeyPairId: await ctx.ids.of('keyPair', k.id) };
  },
  async DeleteKeyPair(ctx, input) {
    let name = input.KeyName as string | undefined;
    if (!name && input.KeyPairId) {
      const all = await csList(ctx, 'listSSHKeyPairs', 'sshkeypair');
      for (const k of all) if ((await ctx.ids.of('keyPair', k.id)) === input.KeyPairId) name = k.name;
    }
    // AWS answers true even when the key pair does not exist.
    if (name) await csCall(ctx, 'deleteSSHKeyPair', { name });
    return { Return: true };
  },
  async DescribeKeyPairs(ctx, input) {
    const listed = await csList(ctx, 'listSSHKeyPairs', 'sshkeypair');
    const keys = await ctx.store.attrs(
      listed.map((k) => k.id),
      'publicKey',
    );
    let all = await Promise.all(
      listed.map(async (k) => ({
        KeyPairId: await ctx.ids.of('keyPair', k.id),
        KeyName: k.name as string,
        KeyFingerprint: k.fingerprint as string,
        KeyType: keyTypeOf(keys.get(k.id)),
        CreateTime: csTime(k.created) || undefined,
        Tags: [] as { Key: string; Value: string }[],
        PublicKey: input.IncludePublicKey ? keys.get(k.id) : undefined,
      })),
    );
    for (const n of input.KeyNames ?? [])
      if (!all.some((k) => k.KeyName === n))
        throw ec2Error('InvalidKeyPair.NotFound', `The key pair '${n}' does not exist`);
    for (const n of input.KeyPairIds ?? [])
      if (!all.some((k) => k.KeyPairId === n))
        throw ec2Error('InvalidKeyPair.NotFound', `The key pair '${n}' does not exist`);
    const keyNames = input.KeyNames;
    if (keyNames) all = all.filter((k) => keyNames.includes(k.KeyName));
    const keyPairIds = input.KeyPairIds;
    if (keyPairIds) all = all.filter((k) => keyPairIds.includes(k.KeyPairId));
    all = applyFilters(all, input.Filters, {
      'key-name': (k) => [k.KeyName],
      fingerprint: (k) => [k.KeyFingerprint],
      'key-pair-id': (k) => [k.KeyPairId],
      'key-type': (k) => [k.KeyType],
    });
    void cs;
    return { KeyPairs: all };
  },
});
