import { constants, createHash, createPublicKey, generateKeyPair, publicEncrypt } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);
import { invalid } from './errors.js';

/** SSH key material: OpenSSH public keys, MD5 fingerprints as CloudStack shows them. */

function sshString(buf: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

function mpint(b64url: string): Buffer {
  let b = Buffer.from(b64url, 'base64url');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
}

export function fingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

export interface GeneratedKeyPair {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
}

/** Generated on the thread pool: an RSA key takes long enough that doing it inline would stall every other request. */
export async function generateRsaKeyPair(comment: string): Promise<GeneratedKeyPair> {
  const { publicKey, privateKey } = await generate('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e), mpint(jwk.n)]);
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`,
    fingerprint: fingerprint(blob),
  };
}

/** Encrypts with an ssh-rsa public key (PKCS#1 v1.5), base64: how getVMPassword hands out passwords. */
export function encryptWithSshRsa(line: string, text: string): string {
  const b64 = line.trim().split(/\s+/)[1];
  if (!line.startsWith('ssh-rsa ') || !b64) throw invalid('Only RSA keys can encrypt a password', 'keypair');
  const blob = Buffer.from(b64, 'base64');
  const fields: Buffer[] = [];
  for (let off = 0; off < blob.length;) {
    const n = blob.readUInt32BE(off);
    fields.push(blob.subarray(off + 4, off + 4 + n));
    off += 4 + n;
  }
  const [, e, n] = fields;
  const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
  const key = createPublicKey({
    key: { kty: 'RSA', e: strip(e!).toString('base64url'), n: strip(n!).toString('base64url') },
    format: 'jwk',
  });
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(text)).toString('base64');
}

const TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

/** Checks an OpenSSH public key line; returns its normalised form and fingerprint. */
export function parsePublicKey(line: string): { publicKey: string; fingerprint: string } {
  const parts = line.trim().split(/\s+/);
  const [type, b64] = parts;
  if (!type || !b64 || !TYPES.has(type) || !/^[A-Za-z0-9+/]+=*$/.test(b64))
    throw invalid('Public key is invalid', 'publickey');
  const blob = Buffer.from(b64, 'base64');
  if (blob.length < 4) throw invalid('Public key is invalid', 'publickey');
  const n = blob.readUInt32BE(0);
  if (4 + n > blob.length || blob.subarray(4, 4 + n).toString() !== type)
    throw invalid('Public key is invalid', 'publickey');
  return { publicKey: parts.slice(0, 3).join(' '), fingerprint: fingerprint(blob) };
}
