import { useState } from 'react';
import { act, first } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { LbRule } from '../../api/resources';
import type { PublicIp, Vm } from '../../api/types';
import { FormDialog } from '../../components/Dialog';
import { Crumbs, Filters, SelectField, TextField, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Loading, PageHeader, StateBadge } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate, type Route } from '../../router';
import { useListing, useRemoval } from './listing';
import { listVms } from './common';

const ALGORITHMS = [
  { value: 'roundrobin', label: 'Round robin' },
  { value: 'leastconn', label: 'Least connections' },
  { value: 'source', label: 'Source IP' },
];

const isLbEvent = (type: string) => type.startsWith('LB.');

/** Public addresses on an isolated or VPC network, which can carry load-balancing and forwarding rules. */
export const listRuleIps = () =>
  cs
    .list<PublicIp>('listPublicIpAddresses', 'publicipaddress', { listall: true, allocatedonly: true })
    .then((r) => r.items.filter((ip) => ip.associatednetworkid));

/** Load-balancing rules: search, filter by address, create one on a public IP. */
export function LoadBalancers({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const rules = useLoad(
    () =>
      cs.list<LbRule>('listLoadBalancerRules', 'loadbalancerrule', {
        listall: true,
        keyword: q.keyword,
        publicipid: q.publicipid,
        ...paging,
      }),
    [q.keyword, q.publicipid, paging.page, paging.pagesize],
  );
  const ips = useLoad(listRuleIps, []);
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({
    name: '',
    publicipid: '',
    publicport: '80',
    privateport: '80',
    algorithm: 'roundrobin',
  });
  const ipOptions = (ips.data ?? []).map((ip) => ({
    value: ip.id,
    label: `${ip.ipaddress} (${ip.associatednetworkname ?? ''})`,
  }));
  useFeedRefresh(rules.reload, (i) => i.kind === 'event' && isLbEvent(i.type));
  return (
    <>
      <PageHeader title="Load balancers">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create load balancer
        </button>
      </PageHeader>
      <Filters label="load balancers" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Public IP"
          value={q.publicipid ?? ''}
          onChange={(publicipid) => filter({ publicipid })}
          placeholder="Any address"
          options={ipOptions}
        />
      </Filters>
      <ErrorBanner error={rules.error} />
      {rules.data ? (
        <>
          <Table
            caption="Load-balancing rules"
            rows={rules.data.items}
            rowKey={(r) => r.id}
            busy={rules.loading}
            empty="No load balancers match."
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (r) => <a href={href(`/load-balancers/${r.id}`)}>{r.name}</a>,
                sortValue: (r) => r.name,
              },
              { key: 'state', label: 'State', render: (r) => <StateBadge state={r.state} /> },
              {
                key: 'public',
                label: 'Public',
                render: (r) => `${r.publicip}:${r.publicport}`,
                sortValue: (r) => r.publicip,
              },
              { key: 'private', label: 'Private port', render: (r) => r.privateport },
              {
                key: 'algorithm',
                label: 'Algorithm',
                render: (r) => ALGORITHMS.find((a) => a.value === r.algorithm)?.label ?? r.algorithm,
              },
              { key: 'zone', label: 'Zone', render: (r) => r.zonename },
              { key: 'account', label: 'Account', render: (r) => r.account },
            ]}
          />
          {pager(rules.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Create a load balancer"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        onSubmit={async () => {
          const lb = first<LbRule>(
            await act('createLoadBalancerRule', {
              name: f.name,
              publicipid: f.publicipid,
              publicport: f.publicport,
              privateport: f.privateport,
              algorithm: f.algorithm,
              openfirewall: false,
            }),
          );
          rules.reload();
          if (lb?.id) navigate(`/load-balancers/${lb.id}`);
        }}
      >
        <TextField label="Name" value={f.name} onChange={(name) => setF({ ...f, name })} required />
        <SelectField
          label="Public IP"
          value={f.publicipid}
          onChange={(publicipid) => setF({ ...f, publicipid })}
          placeholder="Choose an address"
          options={ipOptions}
          required
        />
        <div className="row">
          <TextField
            label="Public port"
            type="number"
            min={1}
            value={f.publicport}
            onChange={(publicport) => setF({ ...f, publicport })}
            required
          />
          <TextField
            label="Private port"
            type="number"
            min={1}
            value={f.privateport}
            onChange={(privateport) => setF({ ...f, privateport })}
            required
          />
        </div>
        <SelectField
          label="Algorithm"
          value={f.algorithm}
          onChange={(algorithm) => setF({ ...f, algorithm })}
          options={ALGORITHMS}
        />
      </FormDialog>
    </>
  );
}

/** One rule: change its name and algorithm, assign and remove instances, delete it. */
export function LoadBalancerDetail({ id }: { id: string }) {
  const rule = useLoad(
    () => cs.list<LbRule>('listLoadBalancerRules', 'loadbalancerrule', { id, listall: true }).then((r) => r.items[0]),
    [id],
  );
  const members = useLoad(
    () =>
      cs
        .list<Vm>('listLoadBalancerRuleInstances', 'loadbalancerruleinstance', { id, listall: true })
        .then((r) => r.items),
    [id],
  );
  const networkid = rule.data?.networkid;
  const candidates = useLoad(async () => (networkid ? listVms({ networkid }) : []), [networkid]);
  const [dialog, setDialog] = useState<'edit' | 'assign'>();
  const [edit, setEdit] = useState({ name: '', algorithm: '', description: '' });
  const [vm, setVm] = useState('');
  const removal = useRemoval();
  const confirm = useConfirm();
  const notify = useNotify();
  useFeedRefresh(
    removal.live(() => (rule.reload(), members.reload())),
    (i) => i.kind === 'event' && isLbEvent(i.type),
  );
  if (rule.error && !rule.data) return <ErrorBanner error={rule.error} />;
  if (!rule.data) return rule.loading ? <Loading /> : <p role="alert">No such load balancer.</p>;
  const r = rule.data;
  const inside = new Set((members.data ?? []).map((m) => m.id));
  return (
    <>
      <Crumbs to={href('/load-balancers')} label="Load balancers" />
      <PageHeader title={`Load balancer ${r.name}`}>
        <button
          type="button"
          onClick={() => (
            setEdit({ name: r.name, algorithm: r.algorithm, description: r.description ?? '' }),
            setDialog('edit')
          )}
        >
          Edit
        </button>
        <button type="button" onClick={() => (setVm(''), setDialog('assign'))}>
          Assign instance
        </button>
        <button
          type="button"
          className="danger"
          onClick={() =>
            confirm.ask({
              title: 'Delete load balancer',
              message: `Delete ${r.name}?`,
              label: 'Delete',
              run: () =>
                removal.remove(async () => (await act('deleteLoadBalancerRule', { id }), navigate('/load-balancers'))),
            })
          }
        >
          Delete
        </button>
      </PageHeader>
      <Details
        rows={[
          ['State', <StateBadge state={r.state} />],
          ['Public IP', <a href={href(`/public-ips/${r.publicipid}`)}>{r.publicip}</a>],
          ['Public port', r.publicport],
          ['Private port', r.privateport],
          ['Algorithm', ALGORITHMS.find((a) => a.value === r.algorithm)?.label ?? r.algorithm],
          ['Description', r.description],
          ['Zone', r.zonename],
          ['Account', r.account],
          ['ID', <code>{r.id}</code>],
        ]}
      />
      <h2>Instances</h2>
      <ErrorBanner error={members.error} />
      <Table
        caption={`Instances behind ${r.name}`}
        rows={members.data ?? []}
        rowKey={(m) => m.id}
        busy={members.loading}
        empty="No instances: assign some to balance over them."
        columns={[
          {
            key: 'name',
            label: 'Instance',
            render: (m) => <a href={href(`/instances/${m.id}`)}>{m.displayname || m.name}</a>,
          },
          { key: 'state', label: 'State', render: (m) => <StateBadge state={m.state} /> },
          {
            key: 'ip',
            label: 'IP address',
            render: (m) => m.nic?.find((n) => n.networkid === r.networkid)?.ipaddress ?? m.ipaddress,
          },
          {
            key: 'actions',
            label: 'Actions',
            render: (m) => (
              <button
                type="button"
                className="link"
                aria-label={`Remove ${m.displayname || m.name} from ${r.name}`}
                onClick={() =>
                  confirm.ask({
                    title: 'Remove instance',
                    message: `Remove ${m.displayname || m.name} from ${r.name}?`,
                    label: 'Remove',
                    run: async () => (
                      await act('removeFromLoadBalancerRule', { id, virtualmachineids: m.id }),
                      members.reload()
                    ),
                  })
                }
              >
                Remove
              </button>
            ),
          },
        ]}
      />
      <FormDialog
        title={`Edit ${r.name}`}
        open={dialog === 'edit'}
        onClose={() => setDialog(undefined)}
        submitLabel="Save"
        onSubmit={async () => (
          await act('updateLoadBalancerRule', {
            id,
            name: edit.name,
            algorithm: edit.algorithm,
            description: edit.description || undefined,
          }),
          notify(`${edit.name} saved`, 'ok'),
          rule.reload()
        )}
      >
        <TextField label="Name" value={edit.name} onChange={(name) => setEdit({ ...edit, name })} required />
        <TextField
          label="Description"
          value={edit.description}
          onChange={(description) => setEdit({ ...edit, description })}
        />
        <SelectField
          label="Algorithm"
          value={edit.algorithm}
          onChange={(algorithm) => setEdit({ ...edit, algorithm })}
          options={ALGORITHMS}
        />
      </FormDialog>
      <FormDialog
        title={`Assign an instance to ${r.name}`}
        open={dialog === 'assign'}
        onClose={() => setDialog(undefined)}
        submitLabel="Assign"
        onSubmit={async () => (
          await act('assignToLoadBalancerRule', { id, virtualmachineids: vm }),
          notify('Instance assigned', 'ok'),
          members.reload()
        )}
      >
        <SelectField
          label="Instance"
          value={vm}
          onChange={setVm}
          placeholder="Choose an instance on this network"
          options={(candidates.data ?? [])
            .filter((c) => !inside.has(c.id))
            .map((c) => ({ value: c.id, label: `${c.displayname || c.name} (${c.state})` }))}
          required
        />
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
