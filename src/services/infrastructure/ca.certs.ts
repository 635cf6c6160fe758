import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

const { pki } = forge;

/** A key pair as PEM (PKCS#1 private key), made by Node's native RSA generator (forge's is pure JS and slow). */
export function rsaKeyPair(bits: number): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** "CN=a, O=b" as forge's subject attributes (CloudStack's issuer DN setting is such a string). */
export function parseDn(dn: string): forge.pki.CertificateField[] {
  return dn
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf('=');
      return { shortName: part.slice(0, at).trim(), value: part.slice(at + 1).trim() };
    });
}

/** A positive random serial (CertUtils.generateRandomBigInt): 64 bits, top bit clear so DER keeps it positive. */
export function randomSerial(): string {
  const b = randomBytes(8);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

interface CertPlan {
  subject: forge.pki.CertificateField[];
  publicKeyPem: string;
  issuer: { subject: forge.pki.CertificateField[]; privateKeyPem: string } | 'self';
  privateKeyPem: string;
  serial: string;
  notBefore: Date;
  days: number;
  ca: boolean;
  domains?: string[];
  addresses?: string[];
}

/** An X.509 v3 certificate signed with SHA256withRSA (ca.framework.cert.signature.algorithm's default), PEM. */
export function signCertificate(p: CertPlan): string {
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(p.publicKeyPem);
  cert.serialNumber = p.serial;
  cert.validity.notBefore = p.notBefore;
  cert.validity.notAfter = new Date(p.notBefore.getTime() + p.days * 86_400_000);
  cert.setSubject(p.subject);
  cert.setIssuer(p.issuer === 'self' ? p.subject : p.issuer.subject);
  const altNames = [
    ...(p.domains ?? []).map((value) => ({ type: 2, value })),
    ...(p.addresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: p.ca, critical: p.ca },
    p.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, nonRepudiation: true },
    ...(p.ca ? [] : [{ name: 'extKeyUsage', serverAuth: true, clientAuth: true }]),
    { name: 'subjectKeyIdentifier' },
    ...(altNames.length ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  const signer = p.issuer === 'self' ? p.privateKeyPem : p.issuer.privateKeyPem;
  cert.sign(pki.privateKeyFromPem(signer), forge.md.sha256.create());
  // forge ends PEM lines with CRLF; CloudStack's PEM writer with the platform's \n.
  return pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

/** The subject and public key of a PKCS#10 request, or undefined when it is not one. */
export function readCsr(pem: string): { subject: forge.pki.CertificateField[]; publicKeyPem: string } | undefined {
  try {
    const csr = pki.certificationRequestFromPem(pem);
    if (!csr.publicKey) return undefined;
    return {
      subject: csr.subject.attributes,
      publicKeyPem: pki.publicKeyToPem(csr.publicKey as forge.pki.rsa.PublicKey),
    };
  } catch {
    return undefined;
  }
}

/** The subject attributes of a PEM certificate (the CA's, to name it as issuer). */
export function subjectOf(certPem: string): forge.pki.CertificateField[] {
  return pki.certificateFromPem(certPem).subject.attributes;
}

/** An IPv4 or IPv6 literal forge can encode in a subjectAltName. */
export const isIpLiteral = (s: string): boolean =>
  /^(\d{1,3})(\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
