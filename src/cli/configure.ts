import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { defaultProfilePath, readProfiles, writeProfile, type GatewayProfile } from './profiles.js';

interface Question {
  key: keyof GatewayProfile;
  prompt: string;
  fallback?: string;
  number?: boolean;
}

const QUESTIONS: Question[] = [
  { key: 'cloudstack', prompt: 'CloudStack API endpoint', fallback: 'http://localhost:8080/client/api' },
  { key: 'adminKey', prompt: 'Admin API key (the EC2 gateway looks users up with it; empty for none)' },
  { key: 'adminSecret', prompt: 'Admin secret key' },
  { key: 'host', prompt: 'Address the gateways bind', fallback: '127.0.0.1' },
  { key: 'ec2Port', prompt: 'EC2 gateway port', fallback: '8081', number: true },
  { key: 'gcePort', prompt: 'GCE gateway port', fallback: '8082', number: true },
  { key: 'dataDir', prompt: 'Gateway data directory (id maps, tokens)', fallback: '~/.polystack-gateway' },
  { key: 'linkBase', prompt: 'GCE selfLink prefix', fallback: 'https://www.googleapis.com/compute/v1/' },
];

/**
 * `polystack configure`: asks for a gateway profile (the successor of gstack-configure and
 * ec2stack-configure) and writes it to the profile file that `ec2-gateway` and `gce-gateway` read.
 * Answers come one per line, so it can be scripted by piping them in.
 */
export function registerConfigureCommand(program: Command): void {
  program
    .command('configure')
    .description('write a gateway profile (CloudStack endpoint, admin keys, ports) used by ec2-gateway and gce-gateway')
    .option('--profile <name>', 'profile name', 'default')
    .option('--config <file>', 'profile file (env POLYSTACK_CONFIG)', defaultProfilePath())
    .action(async (o: { profile: string; config: string }) => {
      const existing = (await readProfiles(o.config)).profiles[o.profile];
      const answers = await ask(QUESTIONS, existing);
      await writeProfile(o.config, o.profile, answers);
      process.stdout.write(`profile '${o.profile}' written to ${o.config}\n`);
    });
}

async function ask(questions: Question[], existing: GatewayProfile | undefined): Promise<GatewayProfile> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  // The async iterator buffers lines that arrive before their question, so piped answers are not lost.
  const lines = rl[Symbol.asyncIterator]();
  const out: Record<string, string | number> = {};
  try {
    for (const q of questions) {
      const current = existing?.[q.key] ?? q.fallback;
      for (;;) {
        process.stdout.write(`${q.prompt}${current !== undefined && current !== '' ? ` [${current}]` : ''}: `);
        const next = await lines.next();
        const typed = next.done ? '' : String(next.value).trim();
        const value = typed === '' ? (current === undefined ? '' : String(current)) : typed;
        if (q.number && value !== '' && !/^\d+$/.test(value)) {
          if (next.done) throw new Error(`${q.prompt}: not a port number: ${value}`);
          process.stdout.write(`not a port number: ${value}\n`);
          continue;
        }
        if (value !== '') out[q.key] = q.number ? Number(value) : value;
        break;
      }
    }
  } finally {
    rl.close();
  }
  if (!out['cloudstack']) throw new Error('a CloudStack endpoint is required');
  return out as unknown as GatewayProfile;
}
