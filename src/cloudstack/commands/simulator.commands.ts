import type { SimulatorMock } from '../../domain/types.js';
import { object, success, type CommandDef } from '../command.js';

const mockView = (m: SimulatorMock) => ({
  id: m.id,
  zoneid: m.zoneId ?? undefined,
  podid: m.podId ?? undefined,
  clusterid: m.clusterId ?? undefined,
  hostid: m.hostId ?? undefined,
  name: m.name,
  count: m.count ?? undefined,
});

export const simulatorCommands: CommandDef[] = [
  {
    name: 'configureSimulator',
    admin: true,
    async handle({ caller, services, params: p }) {
      const m = await services.simulator.configure(caller, {
        name: p.req('name'),
        value: p.req('value'),
        zoneId: p.uuid('zoneid'),
        podId: p.uuid('podid'),
        clusterId: p.uuid('clusterid'),
        hostId: p.uuid('hostid'),
        count: p.int('count'),
        jsonResponse: p.str('jsonresponse'),
      });
      return object('simulatormock', mockView(m));
    },
  },
  {
    name: 'querySimulatorMock',
    admin: true,
    async handle({ caller, services, params: p }) {
      return object('simulatormock', mockView(await services.simulator.query(caller, p.int('id')!)));
    },
  },
  {
    name: 'cleanupSimulatorMock',
    admin: true,
    async handle({ caller, services, params: p }) {
      await services.simulator.cleanup(caller, p.int('id')!, services.clock.now());
      return success();
    },
  },
];
