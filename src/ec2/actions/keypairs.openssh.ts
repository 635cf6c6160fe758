import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';

/** OpenSSH's length-prefixed string. */
function sshString(b: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(b.length);
  return Buffer.concat([length, b]);
}

/** The OpenSSH public line of an RSA private key (what createSSHKeyPair hands out). */
export function rsaPublicLine(privatePem: string, comment: string): string {
  const jwk = createPublicKey(privatePem).export({ format: 'jwk' });
  const mpint = (b64: string | undefined) => {
    const b = Buffer.from(b64 ?? '', 'base64url');
    return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
  };
  return `ssh-rsa ${Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e), mpint(jwk.n)]).toString('base64')} ${comment}`;
}

/**
 * A new ed25519 key pair: its OpenSSH public line and its private key in the OpenSSH format
 * (`-----BEGIN OPENSSH PRIVATE KEY-----`, unencrypted), which is what EC2 hands out for ed25519.
 */
export function ed25519Pair(comment: string): { publicLine: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d ?? '', 'base64url');
  const pub = Buffer.from(jwk.x ?? '', 'base64url');
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.concat([sshString(type), sshString(pub)]);
  const check = randomBytes(4);
  let secret = Buffer.concat([
    check,
    check,
    sshString(type),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(Buffer.from(comment)),
  ]);
  // Padded 1, 2, 3, ... to the cipher block size (8 for "none").
  const pad = (8 - (secret.length % 8)) % 8;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const none = sshString(Buffer.from('none'));
  const one = Buffer.alloc(4);
  one.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    none,
    none,
    sshString(Buffer.alloc(0)),
    one,
    sshString(blob),
    sshString(secret),
  ]).toString('base64');
  const lines = body.match(/.{1,70}/g) ?? [];
  return {
    publicLine: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
}
