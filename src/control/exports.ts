import type { Credentials } from './credentials.routes.js';

const quote = (v: string) => (/^[\w@%+=:,./-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

/**
 * The exports each front's clients read, from one user's credentials: what `polystack env` prints
 * and what the web console offers as downloads. No Node import here, so the console bundles it.
 */
export function exportsFor(
  c: Credentials,
  fronts: { cloudstack: boolean; aws: boolean; gce: boolean },
  gceKey?: { keyFile: string; universeDomain: string },
): string {
  const e = c.endpoints;
  const lines: [string, string][] = [];
  if (fronts.cloudstack)
    lines.push(['CLOUDSTACK_ENDPOINT', e.cloudstack], ['CLOUDSTACK_KEY', c.apiKey], ['CLOUDSTACK_SECRET', c.secretKey]);
  if (fronts.aws) {
    lines.push(
      ['AWS_ACCESS_KEY_ID', c.apiKey],
      ['AWS_SECRET_ACCESS_KEY', c.secretKey],
      ['AWS_ENDPOINT_URL', e.base],
      ['AWS_ENDPOINT_URL_EC2', e.base],
    );
    lines.push(['AWS_DEFAULT_REGION', e.ec2Region], ['AWS_REGION', e.ec2Region]);
  }
  if (fronts.gce) {
    // gcloud's endpoint override, the project, and the OAuth client pair the token endpoint takes.
    lines.push(
      ['CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE', e.gce],
      ['GOOGLE_CLOUD_PROJECT', c.gceProject],
      ['CLOUDSDK_CORE_PROJECT', c.gceProject],
    );
    lines.push(['GCE_TOKEN_URI', e.gceToken], ['GCE_CLIENT_ID', c.apiKey], ['GCE_CLIENT_SECRET', c.secretKey]);
    // The service-account key file Google's libraries read by themselves (application default credentials);
    // Node's google-auth-library signs its own JWTs in a universe other than Google's (src/gce/service-accounts.ts).
    if (gceKey)
      lines.push(
        ['GOOGLE_APPLICATION_CREDENTIALS', gceKey.keyFile],
        ['GOOGLE_CLOUD_UNIVERSE_DOMAIN', gceKey.universeDomain],
      );
  }
  return lines.map(([k, v]) => `export ${k}=${quote(v)}`).join('\n') + '\n';
}
