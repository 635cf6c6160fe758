import { createHash, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import type { Credentials } from '../bridge/port.js';
import type { Identity } from './context.js';
import { slug } from './ids.js';
import type { GceStore, ServiceAccountKeyRow } from './store/store.js';

/**
 * Service-account key files, as Google issues them (`gcloud iam service-accounts keys create`):
 * an RSA key pair whose private half is handed to the user once, in the JSON file that
 * GOOGLE_APPLICATION_CREDENTIALS points at, and whose public half the front keeps with the
 * CloudStack key pair the account stands for. A JWT signed with the private key is then worth
 * that key pair: exchanged at the token endpoint (the `jwt-bearer` grant, RFC 7523), or sent
 * directly as a bearer token (Google's "self-signed JWT", what google-auth-library does for
 * GAPIC clients such as @google-cloud/compute).
 */
export interface KeyFile {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

/**
 * The key file's universe. Node's google-auth-library (gtoken) sends the jwt-bearer exchange to
 * Google's own token URL whatever the file's token_uri says; outside Google's universe
 * (`googleapis.com`) it signs its own JWTs instead and sends them as bearer tokens, which the
 * front accepts. Clients then need GOOGLE_CLOUD_UNIVERSE_DOMAIN set to the same (`polystack env --gce`).
 * Python's google-auth, Go and Terraform exchange at token_uri, which is polystack's.
 */
export const UNIVERSE_DOMAIN = 'polystack.internal';

/** The account's service account: one per user, named after the user, in the project of the user's account. */
export function serviceAccountEmail(identity: Pick<Identity, 'project' | 'email'>): string {
  const user = slug(identity.email.split('@')[0] ?? 'polystack').slice(0, 30) || 'polystack';
  return `${user}@${identity.project}.iam.gserviceaccount.com`;
}

/** A new key for the caller's service account; `base` is the URL this server is reached at. */
export async function issueKey(
  store: GceStore,
  creds: Credentials,
  identity: Pick<Identity, 'project' | 'email'>,
  base: string,
  now: number,
): Promise<KeyFile> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomBytes(20).toString('hex');
  const clientEmail = serviceAccountEmail(identity);
  await store.saveServiceAccountKey({
    keyId,
    clientEmail,
    project: identity.project,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    apiKey: creds.apiKey,
    secretKey: creds.secretKey,
    created: now,
  });
  const b = base.replace(/\/+$/, '');
  return {
    type: 'service_account',
    project_id: identity.project,
    private_key_id: keyId,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    // Google's client ids are 21-digit numbers.
    client_id: (BigInt(`0x${createHash('sha256').update(clientEmail).digest('hex').slice(0, 18)}`) % 10n ** 21n)
      .toString()
      .padStart(21, '1'),
    auth_uri: `${b}/o/oauth2/auth`,
    token_uri: `${b}/token`,
    auth_provider_x509_cert_url: `${b}/oauth2/v1/certs`,
    client_x509_cert_url: `${b}/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: UNIVERSE_DOMAIN,
  };
}

/** Why a JWT is refused, in the words of Google's token endpoint (`error_description`). */
export class JwtRefused extends Error {
  constructor(
    readonly error: 'invalid_grant' | 'invalid_scope' | 'invalid_request',
    message: string,
  ) {
    super(message);
  }
}

/** Google's bounds: a JWT lives at most an hour, and clocks may disagree by a few minutes. */
const MAX_LIFETIME_S = 3600;
const SKEW_S = 300;
const TIMEFRAME =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

interface Claims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  scope?: unknown;
  target_audience?: unknown;
  iat?: unknown;
  exp?: unknown;
}

function decode(jwt: string): { header: Record<string, unknown>; claims: Claims; signed: string; signature: Buffer } {
  const parts = jwt.split('.');
  // Older google-auth (Debian's 1.5) pads its base64url parts with '='.
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*=*$/.test(p)))
    throw new JwtRefused('invalid_grant', 'Invalid JWT: the assertion is not a JSON Web Token.');
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object') throw new Error('not objects');
    return { header, claims, signed: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
  } catch {
    throw new JwtRefused('invalid_grant', 'Invalid JWT: the assertion is not a JSON Web Token.');
  }
}

/**
 * The key pair a JWT stands for: its signature (RS256) checked with the key its `kid` names (every
 * key of its issuer without one), then `iat`/`exp` on the given clock (seconds), then the
 * audience: `audiences` must hold `aud`, or, when `scopeInstead` allows it, a `scope` claim may
 * stand in for it (a self-signed JWT with scopes, as google-auth-library sends to GAPIC endpoints).
 */
export async function verifyJwt(
  store: GceStore,
  jwt: string,
  o: { nowMs: number; audiences: string[]; scopeInstead: boolean; requireScope: boolean },
): Promise<{ creds: Credentials; key: ServiceAccountKeyRow; scope?: string }> {
  const { header, claims, signed, signature } = decode(jwt);
  if (header['alg'] !== 'RS256')
    throw new JwtRefused(
      'invalid_grant',
      `Invalid JWT: unsupported algorithm ${String(header['alg'])}; service-account keys sign with RS256.`,
    );
  if (typeof claims.iss !== 'string' || !claims.iss)
    throw new JwtRefused('invalid_grant', 'Invalid JWT: the iss claim is missing.');
  const keys = await store.serviceAccountKeys(
    claims.iss,
    typeof header['kid'] === 'string' ? header['kid'] : undefined,
  );
  if (!keys.length) throw new JwtRefused('invalid_grant', 'Invalid grant: account not found');
  const key = keys.find((k) => verify('sha256', Buffer.from(signed), k.publicKey, signature));
  if (!key) throw new JwtRefused('invalid_grant', 'Invalid JWT Signature.');
  const now = Math.floor(o.nowMs / 1000);
  const [iat, exp] = [claims.iat, claims.exp];
  if (
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    exp <= iat ||
    exp - iat > MAX_LIFETIME_S ||
    iat > now + SKEW_S ||
    exp < now - SKEW_S
  )
    throw new JwtRefused('invalid_grant', TIMEFRAME);
  const scope = typeof claims.scope === 'string' && claims.scope.trim() ? claims.scope : undefined;
  const audOk =
    typeof claims.aud === 'string' &&
    o.audiences.some((a) =>
      a.endsWith('/') ? claims.aud === a || (o.scopeInstead && String(claims.aud).startsWith(a)) : claims.aud === a,
    );
  if (!audOk && !(o.scopeInstead && scope && claims.aud === undefined))
    throw new JwtRefused(
      'invalid_grant',
      `Invalid JWT: Failed audience check. The expected value is ${o.audiences[0]}. Please check your JWT's aud claim.`,
    );
  if (o.requireScope && !scope && typeof claims.target_audience !== 'string')
    throw new JwtRefused('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  return { creds: { apiKey: key.apiKey, secretKey: key.secretKey }, key, scope };
}

/** Whether a bearer token is shaped like a JWT (three base64url parts, the first a JSON header). */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*=*\.[A-Za-z0-9_-]+=*\.[A-Za-z0-9_-]*=*$/.test(token);
}
