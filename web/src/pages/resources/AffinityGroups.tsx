import { useState } from 'react';
import { act } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { AffinityGroup } from '../../api/resources';
import type { Vm } from '../../api/types';
import { FormDialog } from '../../components/Dialog';
import { Crumbs, Filters, SelectField, TextField, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Loading, PageHeader, StateBadge } from '../../components/ui';
import { href, navigate, type Route } from '../../router';
import { useListing } from './listing';

const isAgEvent = (type: string) => type.startsWith('AG.');

/** Host affinity and anti-affinity groups: search, filter by type, create. */
export function AffinityGroups({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const groups = useLoad(
    () =>
      cs.list<AffinityGroup>('listAffinityGroups', 'affinitygroup', {
        listall: true,
        keyword: q.keyword,
        type: q.type,
        ...paging,
      }),
    [q.keyword, q.type, paging.page, paging.pagesize],
  );
  const types = useLoad(
    () =>
      cs
        .list<{ type: string }>('listAffinityGroupTypes', 'affinityGroupType', {})
        .then((r) => r.items.map((t) => t.type)),
    [],
  );
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({ name: '', description: '', type: 'host anti-affinity' });
  const typeOptions = (types.data ?? []).map((t) => ({ value: t, label: t }));
  useFeedRefresh(groups.reload, (i) => i.kind === 'event' && isAgEvent(i.type));
  return (
    <>
      <PageHeader title="Affinity groups">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create affinity group
        </button>
      </PageHeader>
      <Filters label="affinity groups" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Type"
          value={q.type ?? ''}
          onChange={(type) => filter({ type })}
          placeholder="Any type"
          options={typeOptions}
        />
      </Filters>
      <ErrorBanner error={groups.error} />
      {groups.data ? (
        <>
          <Table
            caption="Affinity groups"
            rows={groups.data.items}
            rowKey={(g) => g.id}
            busy={groups.loading}
            empty="No affinity groups match."
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (g) => <a href={href(`/affinity-groups/${g.id}`)}>{g.name}</a>,
                sortValue: (g) => g.name,
              },
              { key: 'type', label: 'Type', render: (g) => g.type, sortValue: (g) => g.type },
              { key: 'description', label: 'Description', render: (g) => g.description },
              { key: 'vms', label: 'Instances', render: (g) => g.virtualmachineIds?.length ?? 0, numeric: true },
              { key: 'account', label: 'Account', render: (g) => g.account, sortValue: (g) => g.account ?? '' },
            ]}
          />
          {pager(groups.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Create an affinity group"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        onSubmit={async () => {
          const r = await act<{ affinitygroup?: AffinityGroup }>('createAffinityGroup', {
            name: f.name,
            description: f.description || undefined,
            type: f.type,
          });
          groups.reload();
          if (r.affinitygroup?.id) navigate(`/affinity-groups/${r.affinitygroup.id}`);
        }}
      >
        <TextField label="Name" value={f.name} onChange={(name) => setF({ ...f, name })} required />
        <TextField label="Description" value={f.description} onChange={(description) => setF({ ...f, description })} />
        <SelectField
          label="Type"
          value={f.type}
          onChange={(type) => setF({ ...f, type })}
          options={typeOptions}
          hint="Anti-affinity spreads its instances over hosts; affinity keeps them on one."
        />
      </FormDialog>
    </>
  );
}

type GroupedVm = Vm & { affinitygroup?: { id: string }[] };

/** The instance's groups with `id` added or taken out; updateVMAffinityGroup replaces the whole set. */
const groupsWith = (vm: GroupedVm, id: string, member: boolean): string =>
  [...(vm.affinitygroup ?? []).map((g) => g.id).filter((g) => g !== id), ...(member ? [id] : [])].join(',');

/** One group and its instances; a stopped instance joins or leaves it (updateVMAffinityGroup). */
export function AffinityGroupDetail({ id }: { id: string }) {
  const group = useLoad(
    () => cs.list<AffinityGroup>('listAffinityGroups', 'affinitygroup', { id, listall: true }).then((r) => r.items[0]),
    [id],
  );
  // The members by id from the group itself: listVirtualMachines' affinitygroupid filter is not answered everywhere.
  const members = group.data?.virtualmachineIds?.join(',') ?? '';
  const vms = useLoad(
    async () =>
      members
        ? (await cs.list<GroupedVm>('listVirtualMachines', 'virtualmachine', { ids: members, listall: true })).items
        : [],
    [members],
  );
  const stopped = useLoad(
    () =>
      cs
        .list<GroupedVm>('listVirtualMachines', 'virtualmachine', { state: 'Stopped', listall: true })
        .then((r) => r.items),
    [id],
  );
  const [adding, setAdding] = useState(false);
  const [vm, setVm] = useState('');
  const confirm = useConfirm();
  const changed = () => (vms.reload(), stopped.reload(), group.reload());
  if (group.error && !group.data) return <ErrorBanner error={group.error} />;
  if (!group.data) return group.loading ? <Loading /> : <p role="alert">No such affinity group.</p>;
  const g = group.data;
  return (
    <>
      <Crumbs to={href('/affinity-groups')} label="Affinity groups" />
      <PageHeader title={`Affinity group ${g.name}`}>
        <button
          type="button"
          className="danger"
          onClick={() =>
            confirm.ask({
              title: 'Delete affinity group',
              message: `Delete ${g.name}? Its instances leave it.`,
              label: 'Delete',
              run: async () => (await act('deleteAffinityGroup', { id }), navigate('/affinity-groups')),
            })
          }
        >
          Delete
        </button>
      </PageHeader>
      <Details
        rows={[
          ['Type', g.type],
          ['Description', g.description],
          ['Account', g.account],
          ['Domain', g.domain],
          ['ID', <code>{g.id}</code>],
        ]}
      />
      <h2>Instances</h2>
      <ErrorBanner error={vms.error} />
      <Table
        caption={`Instances in ${g.name}`}
        rows={vms.data ?? []}
        rowKey={(v) => v.id}
        busy={vms.loading}
        empty="No instances in this group. Choose it when deploying, or change a stopped instance's groups."
        columns={[
          {
            key: 'name',
            label: 'Instance',
            render: (v) => <a href={href(`/instances/${v.id}`)}>{v.displayname || v.name}</a>,
          },
          { key: 'state', label: 'State', render: (v) => <StateBadge state={v.state} /> },
          { key: 'host', label: 'Host', render: (v) => v.hostname },
          {
            key: 'actions',
            label: 'Actions',
            render: (v) => (
              <button
                type="button"
                className="link"
                disabled={v.state !== 'Stopped'}
                title={v.state !== 'Stopped' ? 'Stop the instance first' : undefined}
                aria-label={`Remove ${v.displayname || v.name} from ${g.name}`}
                onClick={() =>
                  confirm.ask({
                    title: 'Remove from group',
                    message: `Take ${v.displayname || v.name} out of ${g.name}?`,
                    label: 'Remove',
                    run: async () => (
                      await act('updateVMAffinityGroup', { id: v.id, affinitygroupids: groupsWith(v, id, false) }),
                      changed()
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
      <button type="button" onClick={() => (setVm(''), setAdding(true))}>
        Add instance
      </button>
      <FormDialog
        title={`Add an instance to ${g.name}`}
        open={adding}
        onClose={() => setAdding(false)}
        submitLabel="Add"
        onSubmit={async () => {
          const target = stopped.data?.find((x) => x.id === vm);
          if (target) await act('updateVMAffinityGroup', { id: vm, affinitygroupids: groupsWith(target, id, true) });
          changed();
        }}
      >
        <SelectField
          label="Instance"
          value={vm}
          onChange={setVm}
          placeholder="Choose a stopped instance"
          hint="Only stopped instances can change their affinity groups."
          options={(stopped.data ?? [])
            .filter((x) => !x.affinitygroup?.some((a) => a.id === id))
            .map((x) => ({ value: x.id, label: x.displayname || x.name }))}
          required
        />
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
