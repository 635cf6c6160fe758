import { COMMANDS } from './cloudstack/commands/index.js';
import { allApiSpecs } from './cloudstack/spec.js';
import { ACTIONS } from './ec2/actions/index.js';
import { ec2Model } from './ec2/model.js';

/** Coverage tables generated from the code: what each front implements out of its API. */
export function cloudstackCoverage(): string {
  const specs = allApiSpecs().filter((a) => !['configureSimulator', 'querySimulatorMock', 'cleanupSimulatorMock'].includes(a.name));
  const done = new Set([...COMMANDS.values()].map((d) => d.name));
  const rows = specs.sort((a, b) => a.name.localeCompare(b.name)).map((a) => `| ${a.name} | ${a.isasync ? 'async' : ''} | ${done.has(a.name) ? 'yes' : ''} |`);
  const n = specs.filter((a) => done.has(a.name)).length;
  return `# CloudStack API coverage\n\n${n} of the ${specs.length} commands of CloudStack 4.18 are implemented (plus the simulator's configureSimulator, querySimulatorMock and cleanupSimulatorMock).\n\n| command | async | implemented |\n| --- | --- | --- |\n${rows.join('\n')}\n`;
}

export function ec2Coverage(): string {
  const ops = Object.keys(ec2Model().operations).sort();
  const rows = ops.map((o) => `| ${o} | ${ACTIONS[o] ? 'yes' : ''} |`);
  const n = ops.filter((o) => ACTIONS[o]).length;
  return `# EC2 API coverage\n\n${n} of the ${ops.length} actions of the EC2 API model (2016-11-15) are implemented.\n\n| action | implemented |\n| --- | --- |\n${rows.join('\n')}\n`;
}
