import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import { runJob } from '../../api/jobs';
import type { FirewallRule, PortForwardingRule, PublicIp, Vm } from '../../api/types';
import { Confirm, FormDialog } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { ErrorBanner, Field, StateBadge } from '../../components/ui';
import { RuleFields, portsOf, ruleParams, type RuleForm } from './RuleFields';

/** Deletes one rule of a list after confirmation, with the async delete command given. */
function useDelete<T>(command: string, idOf: (t: T) => string, after: () => void) {
  const [target, setTarget] = useState<T>();
  const dialog = target && (
    <Confirm
      open
      title="Delete rule"
      message="Delete this rule?"
      confirmLabel="Delete"
      onClose={() => setTarget(undefined)}
      onConfirm={async () => {
        await runJob(command, { id: idOf(target) });
        after();
      }}
    />
  );
  return { ask: setTarget, dialog };
}

export function FirewallRules({ ip }: { ip: PublicIp }) {
  const rules = useLoad(
    () =>
      cs
        .list<FirewallRule>('listFirewallRules', 'firewallrule', { ipaddressid: ip.id, listall: true })
        .then((r) => r.items),
    [ip.id],
  );
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState<RuleForm>({
    protocol: 'tcp',
    startport: '22',
    endport: '22',
    cidr: '0.0.0.0/0',
    icmptype: '-1',
    icmpcode: '-1',
  });
  const del = useDelete<FirewallRule>('deleteFirewallRule', (r) => r.id, rules.reload);
  return (
    <section aria-labelledby="fw-title">
      <h2 id="fw-title">Firewall rules</h2>
      <ErrorBanner error={rules.error} />
      <Table
        caption={`Firewall rules of ${ip.ipaddress}`}
        rows={rules.data ?? []}
        rowKey={(r) => r.id}
        busy={rules.loading}
        empty="No firewall rule: nothing reaches this address."
        columns={[
          { key: 'protocol', label: 'Protocol', render: (r) => r.protocol },
          { key: 'ports', label: 'Ports / ICMP', render: (r) => portsOf(r) },
          { key: 'cidr', label: 'Source CIDRs', render: (r) => r.cidrlist },
          { key: 'state', label: 'State', render: (r) => <StateBadge state={r.state} /> },
          {
            key: 'actions',
            label: 'Actions',
            render: (r) => (
              <button
                type="button"
                className="link"
                aria-label={`Delete firewall rule ${r.protocol} ${portsOf(r)}`}
                onClick={() => del.ask(r)}
              >
                Delete
              </button>
            ),
          },
        ]}
      />
      <button type="button" onClick={() => setAdding(true)}>
        Add firewall rule
      </button>
      <FormDialog
        title="Add a firewall rule"
        open={adding}
        onClose={() => setAdding(false)}
        submitLabel="Add rule"
        onSubmit={async () => {
          await runJob('createFirewallRule', { ipaddressid: ip.id, ...ruleParams(form), cidrlist: form.cidr });
          rules.reload();
        }}
      >
        <RuleFields form={form} onChange={(p) => setForm((f) => ({ ...f, ...p }))} cidrLabel="Source CIDR" />
      </FormDialog>
      {del.dialog}
    </section>
  );
}

export function PortForwardingRules({ ip }: { ip: PublicIp }) {
  const rules = useLoad(
    () =>
      cs
        .list<PortForwardingRule>('listPortForwardingRules', 'portforwardingrule', {
          ipaddressid: ip.id,
          listall: true,
        })
        .then((r) => r.items),
    [ip.id],
  );
  const vms = useLoad(
    async () =>
      ip.associatednetworkid
        ? (
            await cs.list<Vm>('listVirtualMachines', 'virtualmachine', {
              networkid: ip.associatednetworkid,
              listall: true,
            })
          ).items
        : [],
    [ip.associatednetworkid],
  );
  const [adding, setAdding] = useState(false);
  const [f, setF] = useState({ protocol: 'tcp', publicport: '2222', privateport: '22', vm: '' });
  const del = useDelete<PortForwardingRule>('deletePortForwardingRule', (r) => r.id, rules.reload);
  return (
    <section aria-labelledby="pf-title">
      <h2 id="pf-title">Port forwarding</h2>
      <ErrorBanner error={rules.error} />
      <Table
        caption={`Port forwarding rules of ${ip.ipaddress}`}
        rows={rules.data ?? []}
        rowKey={(r) => r.id}
        busy={rules.loading}
        empty="No port forwarding rule."
        columns={[
          { key: 'protocol', label: 'Protocol', render: (r) => r.protocol },
          { key: 'public', label: 'Public port', render: (r) => r.publicport },
          { key: 'private', label: 'Private port', render: (r) => r.privateport },
          { key: 'vm', label: 'Instance', render: (r) => r.virtualmachinename },
          { key: 'state', label: 'State', render: (r) => <StateBadge state={r.state} /> },
          {
            key: 'actions',
            label: 'Actions',
            render: (r) => (
              <button
                type="button"
                className="link"
                aria-label={`Delete port forwarding ${r.publicport} to ${r.virtualmachinename}`}
                onClick={() => del.ask(r)}
              >
                Delete
              </button>
            ),
          },
        ]}
      />
      <button type="button" onClick={() => setAdding(true)} disabled={!ip.associatednetworkid}>
        Add port forwarding
      </button>
      <FormDialog
        title="Forward a port"
        open={adding}
        onClose={() => setAdding(false)}
        submitLabel="Add rule"
        onSubmit={async () => {
          await runJob('createPortForwardingRule', {
            ipaddressid: ip.id,
            protocol: f.protocol,
            publicport: f.publicport,
            privateport: f.privateport,
            virtualmachineid: f.vm,
            openfirewall: false,
          });
          rules.reload();
        }}
      >
        <Field label="Protocol">
          {(id) => (
            <select id={id} value={f.protocol} onChange={(e) => setF({ ...f, protocol: e.target.value })}>
              <option value="tcp">TCP</option>
              <option value="udp">UDP</option>
            </select>
          )}
        </Field>
        <div className="row">
          <Field label="Public port">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={65535}
                value={f.publicport}
                onChange={(e) => setF({ ...f, publicport: e.target.value })}
                required
              />
            )}
          </Field>
          <Field label="Private port">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={65535}
                value={f.privateport}
                onChange={(e) => setF({ ...f, privateport: e.target.value })}
                required
              />
            )}
          </Field>
        </div>
        <Field label="Instance">
          {(id) => (
            <select id={id} value={f.vm} onChange={(e) => setF({ ...f, vm: e.target.value })} required>
              <option value="">Choose an instance on this network</option>
              {vms.data?.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.displayname || v.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </FormDialog>
      {del.dialog}
    </section>
  );
}
