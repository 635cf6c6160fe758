import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { control } from '../../api/control';
import { useLoad } from '../../api/hooks';
import type { Zone } from '../../api/types';
import { Confirm, FormDialog } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { ErrorBanner, Field, Loading, PageHeader } from '../../components/ui';

interface AgentMock {
  id: number;
  name: string;
  value: string;
  zoneId: string | null;
  podId: string | null;
  clusterId: string | null;
  hostId: string | null;
  count: number | null;
}
interface FaultRule {
  id: string;
  front: string;
  operation: string;
  effect: string;
  status: number | null;
  delayMs: number | null;
  probability: number;
  remaining: number | null;
  hits: number;
  zoneId: string | null;
  accountId: string | null;
}

const AGENT_COMMANDS = [
  'StartCommand',
  'StopCommand',
  'RebootCommand',
  'MigrateCommand',
  'CopyCommand',
  'CreateCommand',
  'DestroyCommand',
  'AttachVolumeCommand',
];
const scopeOf = (m: AgentMock, zones: Zone[]) =>
  m.hostId
    ? `host ${m.hostId.slice(0, 8)}`
    : m.clusterId
      ? `cluster ${m.clusterId.slice(0, 8)}`
      : m.podId
        ? `pod ${m.podId.slice(0, 8)}`
        : m.zoneId
          ? (zones.find((z) => z.id === m.zoneId)?.name ?? m.zoneId)
          : 'everywhere';

/**
 * The simulator's fault rules: CloudStack's own agent mocks (configureSimulator, cleaned up with
 * cleanupSimulatorMock), and polystack's front rules that fail or slow API calls.
 */
export function Faults() {
  const faults = useLoad(() => control<{ rules: FaultRule[]; agentMocks: AgentMock[] }>('GET', 'faults'), []);
  const zones = useLoad(() => cs.list<Zone>('listZones', 'zone').then((r) => r.items), []);
  const [adding, setAdding] = useState<'mock' | 'rule'>();
  const [clearing, setClearing] = useState(false);
  const [mock, setMock] = useState({ name: 'StartCommand', value: 'result:fail', zoneid: '', count: '1' });
  const [rule, setRule] = useState({
    front: 'cloudstack',
    operation: 'deployVirtualMachine',
    effect: 'error',
    status: '503',
    delayMs: '2000',
    count: '1',
  });
  const [error, setError] = useState<string>();
  const remove = async (f: () => Promise<unknown>) => {
    try {
      await f();
      faults.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const z = zones.data ?? [];
  return (
    <>
      <PageHeader title="Fault rules">
        <button type="button" className="primary" onClick={() => setAdding('mock')}>
          Add agent fault
        </button>
        <button type="button" onClick={() => setAdding('rule')}>
          Add API fault
        </button>
        <button type="button" className="danger" onClick={() => setClearing(true)}>
          Clear all
        </button>
      </PageHeader>
      <ErrorBanner error={faults.error ?? error} onDismiss={() => setError(undefined)} />
      {!faults.data ? (
        <Loading />
      ) : (
        <>
          <h2>Simulated agent (configureSimulator)</h2>
          <Table
            caption="Agent faults"
            rows={faults.data.agentMocks}
            rowKey={(m) => String(m.id)}
            empty="No agent fault: every simulated host command succeeds."
            columns={[
              { key: 'id', label: 'ID', render: (m) => m.id, sortValue: (m) => m.id, numeric: true },
              { key: 'name', label: 'Agent command', render: (m) => m.name, sortValue: (m) => m.name },
              { key: 'value', label: 'Behaviour', render: (m) => <code>{m.value}</code> },
              { key: 'scope', label: 'Scope', render: (m) => scopeOf(m, z) },
              { key: 'count', label: 'Times left', render: (m) => m.count ?? 'always' },
              {
                key: 'actions',
                label: 'Actions',
                render: (m) => (
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove agent fault ${m.id}`}
                    onClick={() => remove(() => cs.call('cleanupSimulatorMock', { id: m.id }))}
                  >
                    Remove
                  </button>
                ),
              },
            ]}
          />
          <h2>API fronts</h2>
          <Table
            caption="API faults"
            rows={faults.data.rules}
            rowKey={(r) => r.id}
            empty="No API fault."
            columns={[
              { key: 'front', label: 'Front', render: (r) => r.front },
              { key: 'op', label: 'Operation', render: (r) => r.operation },
              {
                key: 'effect',
                label: 'Effect',
                render: (r) =>
                  r.effect === 'error'
                    ? `error ${r.status}`
                    : r.effect === 'delay'
                      ? `delay ${r.delayMs} ms`
                      : r.effect,
              },
              { key: 'left', label: 'Times left', render: (r) => r.remaining ?? 'always' },
              { key: 'hits', label: 'Hits', render: (r) => r.hits, numeric: true },
              {
                key: 'actions',
                label: 'Actions',
                render: (r) => (
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove API fault on ${r.operation}`}
                    onClick={() => remove(() => control('DELETE', `faults/${r.id}`))}
                  >
                    Remove
                  </button>
                ),
              },
            ]}
          />
        </>
      )}
      <FormDialog
        title="Make the simulated agent fail"
        open={adding === 'mock'}
        onClose={() => setAdding(undefined)}
        submitLabel="Add"
        onSubmit={async () => {
          await cs.call('configureSimulator', {
            name: mock.name,
            value: mock.value,
            zoneid: mock.zoneid || undefined,
            count: mock.count || undefined,
          });
          faults.reload();
        }}
      >
        <Field label="Agent command">
          {(id) => (
            <select id={id} value={mock.name} onChange={(e) => setMock({ ...mock, name: e.target.value })}>
              {AGENT_COMMANDS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Behaviour" hint="result:fail, result:fault, or wait:<milliseconds>">
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              value={mock.value}
              onChange={(e) => setMock({ ...mock, value: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label="Zone">
          {(id) => (
            <select id={id} value={mock.zoneid} onChange={(e) => setMock({ ...mock, zoneid: e.target.value })}>
              <option value="">Every zone</option>
              {z.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Times" hint="Empty: every time">
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              type="number"
              min={1}
              value={mock.count}
              onChange={(e) => setMock({ ...mock, count: e.target.value })}
            />
          )}
        </Field>
      </FormDialog>
      <FormDialog
        title="Make an API call fail or wait"
        open={adding === 'rule'}
        onClose={() => setAdding(undefined)}
        submitLabel="Add"
        onSubmit={async () => {
          await control('POST', 'faults', {
            front: rule.front,
            operation: rule.operation || '*',
            effect: rule.effect,
            count: rule.count ? Number(rule.count) : undefined,
            ...(rule.effect === 'error' ? { status: Number(rule.status) } : { delayMs: Number(rule.delayMs) }),
          });
          faults.reload();
        }}
      >
        <Field label="Front">
          {(id) => (
            <select id={id} value={rule.front} onChange={(e) => setRule({ ...rule, front: e.target.value })}>
              {['cloudstack', 'ec2', 'gce', '*'].map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Operation" hint="A command, action or method; * for all">
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              value={rule.operation}
              onChange={(e) => setRule({ ...rule, operation: e.target.value })}
            />
          )}
        </Field>
        <Field label="Effect">
          {(id) => (
            <select id={id} value={rule.effect} onChange={(e) => setRule({ ...rule, effect: e.target.value })}>
              <option value="error">Fail with an HTTP status</option>
              <option value="delay">Delay</option>
            </select>
          )}
        </Field>
        {rule.effect === 'error' ? (
          <Field label="HTTP status">
            {(id) => (
              <input
                id={id}
                type="number"
                min={400}
                max={599}
                value={rule.status}
                onChange={(e) => setRule({ ...rule, status: e.target.value })}
              />
            )}
          </Field>
        ) : (
          <Field label="Delay (ms)">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                value={rule.delayMs}
                onChange={(e) => setRule({ ...rule, delayMs: e.target.value })}
              />
            )}
          </Field>
        )}
        <Field label="Times" hint="Empty: every time">
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              type="number"
              min={1}
              value={rule.count}
              onChange={(e) => setRule({ ...rule, count: e.target.value })}
            />
          )}
        </Field>
      </FormDialog>
      <Confirm
        open={clearing}
        title="Clear all faults"
        message="Remove every agent fault and every API fault?"
        confirmLabel="Clear all"
        onClose={() => setClearing(false)}
        onConfirm={async () => {
          await Promise.all((faults.data?.agentMocks ?? []).map((m) => cs.call('cleanupSimulatorMock', { id: m.id })));
          await control('DELETE', 'faults');
          faults.reload();
        }}
      />
    </>
  );
}
