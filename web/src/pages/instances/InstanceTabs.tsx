import { useState } from 'react';
import { fromBase64 } from '../../api/base64';
import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import { runJob } from '../../api/jobs';
import { bytes, type Rule, type SecurityGroup, type Vm, type Volume } from '../../api/types';
import { FormDialog } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { Details, Empty, ErrorBanner, Field, Loading, StateBadge, when } from '../../components/ui';
import { href } from '../../router';

/** The address of the default NIC, as CloudStack's UI shows it on the instance. */
export const ipOf = (vm: Vm): string | undefined =>
  vm.nic?.find((n) => n.isdefault)?.ipaddress ?? vm.nic?.[0]?.ipaddress ?? vm.ipaddress;

/** The generated password of a password-enabled template, from the deploy job: CloudStack answers it once. */
export function PasswordNotice({ name, password, onDone }: { name: string; password: string; onDone: () => void }) {
  return (
    <section className="notice" aria-labelledby="pw-h">
      <h2 id="pw-h">Password of {name}</h2>
      <p>
        The template is password-enabled: CloudStack generated this password and shows it only now.{' '}
        <code className="secret" aria-label="Generated password">
          {password}
        </code>
      </p>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(password).catch(() => undefined)}>
        Copy
      </button>{' '}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}

export function Overview({ vm }: { vm: Vm }) {
  return (
    <Details
      rows={[
        ['ID', <code>{vm.id}</code>],
        ['Name', vm.name],
        ['State', <StateBadge state={vm.state} />],
        ['IP address', ipOf(vm)],
        ['Public IP', vm.publicip],
        ['Zone', vm.zonename],
        ['Template', vm.templatename],
        ['Offering', `${vm.serviceofferingname ?? ''} (${vm.cpunumber} × ${vm.cpuspeed} MHz, ${vm.memory} MiB)`],
        ['Account', `${vm.account}${vm.domain ? ` (${vm.domain})` : ''}`],
        ['Key pair', vm.keypairs ?? vm.keypair],
        ['Host', vm.hostname],
        ['Hypervisor', vm.hypervisor],
        ['Created', when(vm.created)],
        ['Last updated', when(vm.lastupdated)],
      ]}
    />
  );
}

export function Nics({ vm }: { vm: Vm }) {
  return (
    <Table
      caption="Network interfaces"
      rows={vm.nic ?? []}
      rowKey={(n) => n.id}
      empty="No NICs."
      columns={[
        {
          key: 'network',
          label: 'Network',
          render: (n) => n.networkname ?? n.networkid,
          sortValue: (n) => n.networkname ?? '',
        },
        { key: 'ip', label: 'IP address', render: (n) => n.ipaddress, sortValue: (n) => n.ipaddress ?? '' },
        { key: 'mac', label: 'MAC', render: (n) => <code>{n.macaddress}</code> },
        { key: 'gateway', label: 'Gateway', render: (n) => n.gateway },
        { key: 'netmask', label: 'Netmask', render: (n) => n.netmask },
        { key: 'default', label: 'Default', render: (n) => (n.isdefault ? 'yes' : 'no') },
      ]}
    />
  );
}

export function Volumes({ vm }: { vm: Vm }) {
  const { data, error } = useLoad(
    () => cs.list<Volume>('listVolumes', 'volume', { virtualmachineid: vm.id, listall: true }),
    [vm.id],
  );
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <Loading what="Loading volumes" />;
  return (
    <Table
      caption="Volumes"
      rows={data.items}
      rowKey={(v) => v.id}
      empty="No volumes."
      columns={[
        { key: 'name', label: 'Name', render: (v) => v.name, sortValue: (v) => v.name },
        { key: 'type', label: 'Type', render: (v) => v.type, sortValue: (v) => v.type },
        {
          key: 'size',
          label: 'Size',
          render: (v) => (v.size ? bytes(v.size) : ''),
          sortValue: (v) => v.size ?? 0,
          numeric: true,
        },
        { key: 'state', label: 'State', render: (v) => <StateBadge state={v.state} /> },
        { key: 'storage', label: 'Storage', render: (v) => v.storage },
      ]}
    />
  );
}

const ports = (r: Rule) =>
  r.protocol === 'icmp'
    ? `type ${r.icmptype ?? -1}, code ${r.icmpcode ?? -1}`
    : r.startport === undefined
      ? 'all'
      : r.startport === r.endport
        ? String(r.startport)
        : `${r.startport}–${r.endport}`;
const source = (r: Rule) =>
  r.cidr ?? (r.securitygroupname ? `group ${r.account ? `${r.account}/` : ''}${r.securitygroupname}` : '');

/** The groups of the instance, each with its ingress and egress rules (listSecurityGroups by id). */
export function SecurityGroupsOf({ vm }: { vm: Vm }) {
  const ids = (vm.securitygroup ?? []).map((g) => g.id);
  const groups = useLoad(
    async () =>
      Promise.all(
        ids.map(
          async (id) =>
            (await cs.list<SecurityGroup>('listSecurityGroups', 'securitygroup', { id, listall: true })).items[0],
        ),
      ),
    [ids.join()],
  );
  if (!ids.length) return <Empty>This instance is in no security group (its zone isolates it by network).</Empty>;
  if (groups.error) return <ErrorBanner error={groups.error} />;
  if (!groups.data) return <Loading what="Loading security groups" />;
  return (
    <>
      {groups.data
        .filter((g): g is SecurityGroup => !!g)
        .map((g) => (
          <section key={g.id} aria-label={`Security group ${g.name}`}>
            <h3>
              <a href={href(`/security-groups/${g.id}`)}>{g.name}</a>{' '}
              {g.description && <span className="muted small">{g.description}</span>}
            </h3>
            <Table
              caption={`Rules of ${g.name}`}
              rows={[
                ...(g.ingressrule ?? []).map((r) => ({ ...r, dir: 'ingress' })),
                ...(g.egressrule ?? []).map((r) => ({ ...r, dir: 'egress' })),
              ]}
              rowKey={(r) => r.ruleid}
              empty="No rules: nothing comes in; everything goes out."
              columns={[
                { key: 'dir', label: 'Direction', render: (r) => r.dir, sortValue: (r) => r.dir },
                { key: 'protocol', label: 'Protocol', render: (r) => r.protocol, sortValue: (r) => r.protocol },
                { key: 'ports', label: 'Ports', render: ports },
                { key: 'source', label: 'Source / destination', render: source },
              ]}
            />
          </section>
        ))}
    </>
  );
}

export function TagsOf({ vm, onChange }: { vm: Vm; onChange: () => void }) {
  const [adding, setAdding] = useState(false);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const tag = (command: string, k: string, v: string) =>
    runJob(command, { resourcetype: 'UserVm', resourceids: vm.id, 'tags[0].key': k, 'tags[0].value': v }).then(
      onChange,
    );
  return (
    <div>
      <ErrorBanner error={error} onDismiss={() => setError(undefined)} />
      <Table
        caption="Tags"
        rows={vm.tags ?? []}
        rowKey={(t) => t.key}
        empty="No tags."
        columns={[
          { key: 'key', label: 'Key', render: (t) => t.key, sortValue: (t) => t.key },
          { key: 'value', label: 'Value', render: (t) => t.value },
          {
            key: 'remove',
            label: 'Actions',
            render: (t) => (
              <button
                type="button"
                className="link"
                aria-label={`Remove tag ${t.key}`}
                onClick={() => tag('deleteTags', t.key, t.value).catch((e: Error) => setError(e.message))}
              >
                Remove
              </button>
            ),
          },
        ]}
      />
      <button type="button" onClick={() => setAdding(true)}>
        Add tag
      </button>
      <FormDialog
        title="Add a tag"
        open={adding}
        onClose={() => setAdding(false)}
        submitLabel="Add tag"
        onSubmit={() => tag('createTags', key, value)}
      >
        <Field label="Key">
          {(id) => <input id={id} value={key} onChange={(e) => setKey(e.target.value)} required />}
        </Field>
        <Field label="Value">
          {(id) => <input id={id} value={value} onChange={(e) => setValue(e.target.value)} required />}
        </Field>
      </FormDialog>
    </div>
  );
}

async function userDataOf(vm: Vm): Promise<string | undefined> {
  const r = await cs.call<{ virtualmachineuserdata?: { userdata?: string } }>('getVirtualMachineUserData', {
    virtualmachineid: vm.id,
  });
  const b64 = r.virtualmachineuserdata?.userdata;
  return b64 ? fromBase64(b64) : undefined;
}

export function UserData({ vm }: { vm: Vm }) {
  const { data, error, loading } = useLoad(() => userDataOf(vm), [vm.id]);
  if (error) return <ErrorBanner error={error} />;
  if (loading) return <Loading what="Loading user data" />;
  return data ? (
    <pre className="code" aria-label={`User data of ${vm.name}`} tabIndex={0}>
      {data}
    </pre>
  ) : (
    <Empty>This instance has no user data.</Empty>
  );
}

/**
 * What the guest printed while booting: the same simulated log the EC2 (GetConsoleOutput) and GCE
 * (serial port) fronts serve, built from the VM's facts and its user data.
 */
export function ConsoleLog({ vm }: { vm: Vm }) {
  const booted = !['Starting', 'Error'].includes(vm.state);
  const { data, error, loading } = useLoad(async () => {
    if (!booted) return '';
    const ip = vm.nic?.find((n) => n.isdefault)?.ipaddress ?? vm.nic?.[0]?.ipaddress;
    // Loaded on demand: it brings a YAML parser the rest of the console does not need.
    const { consoleLog } = await import('../../../../src/simulator/console.js');
    return consoleLog({
      name: vm.name,
      instanceId: vm.id,
      template: vm.templatename ?? '',
      privateIp: ip,
      started: Date.parse(vm.lastupdated ?? vm.created ?? ''),
      userData: await userDataOf(vm),
    });
  }, [vm.id, vm.state]);
  if (error) return <ErrorBanner error={error} />;
  if (loading) return <Loading what="Loading the console log" />;
  if (!data) return <Empty>The guest has not booted yet: nothing on its console.</Empty>;
  return (
    <>
      {vm.state !== 'Running' && (
        <p className="muted">The guest is {vm.state.toLowerCase()}; this is what it printed at its last boot.</p>
      )}
      <pre className="code console" aria-label={`Console log of ${vm.name}`} tabIndex={0}>
        {data}
      </pre>
    </>
  );
}
