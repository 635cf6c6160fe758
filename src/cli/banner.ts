import type { Config } from '../server/config.js';
import { databaseFile } from '../server/config.js';
import { endpointsOf } from '../control/credentials.routes.js';

/** A postgres:// URL as it may be shown: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * What a user needs after `serve`, printed under the ready line (which stays first and alone on its
 * line: scripts and tests wait for it). Secrets appear only for the published development pair.
 */
export function banner(config: Config, url: string): string {
  const e = endpointsOf(url);
  const data = config.database
    ? `PostgreSQL ${redactUrl(config.database)}`
    : config.inMemory
      ? 'in memory (gone when this process ends)'
      : databaseFile(config);
  const envCmd = `polystack env --url ${e.base}`;
  const keys = config.devKeys
    ? [
        `  API key     ${config.adminApiKey}   (development pair: the same on every machine)`,
        `  secret key  ${config.adminSecretKey}`,
      ]
    : [`  keys        ${envCmd} --cloudstack | --aws | --gce   (asks with admin's password)`];
  return [
    `  console     ${e.base}/client   log in as admin / password (the seeded admin; change it in the console)`,
    `  CloudStack  ${e.cloudstack}   (cs, cmk, Ansible, Terraform, libcloud)`,
    `  EC2         ${e.ec2}   region ${e.ec2Region}   (AWS CLI/SDKs: --endpoint-url; access key = API key)`,
    `  GCE         ${e.gce}   token ${e.gceToken}   project admin`,
    ...keys,
    `  exports     eval "$(${envCmd} --cloudstack --aws --gce)"`,
    `  data        ${data}`,
    `  health      ${e.base}/_polystack/health`,
    '',
  ].join('\n');
}
