import type { ManagementServer } from '../../domain/cluster.js';
import { list, type CommandDef } from '../command.js';
import { csDate } from '../encode.js';
import { paging, slice } from './common.js';

/** ManagementServerResponse; a node is a Node.js process, so the "java" fields name its runtime. */
export const managementServerView = (m: ManagementServer) => ({
  id: m.id,
  name: m.name,
  state: m.state,
  version: m.version,
  javadistribution: m.runtime,
  javaversion: m.runtimeVersion,
  osdistribution: m.osDistribution,
  kernelversion: m.kernelVersion,
  lastserverstart: csDate(m.lastServerStart),
  lastserverstop: csDate(m.lastServerStop),
  lastboottime: csDate(m.lastBootTime),
});

export const clusterCommands: CommandDef[] = [
  {
    name: 'listManagementServers',
    admin: true,
    async handle({ services, params: p }) {
      const all = await services.nodes.list({ id: p.str('id'), name: p.str('name'), keyword: p.str('keyword') });
      return list('managementserver', slice(all, paging(p, services)).map(managementServerView), all.length);
    },
  },
];
