import { useState } from 'react';
import { act } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { VmSnapshot } from '../../api/resources';
import { FormDialog } from '../../components/Dialog';
import { CheckField, Filters, SelectField, TextField, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { ErrorBanner, Loading, PageHeader, StateBadge, when } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, type Route } from '../../router';
import { useListing } from './listing';
import { listVms } from './common';

/**
 * Instance snapshots (disks, and memory when asked): take, revert the instance to one, delete.
 * A row holds everything a VM snapshot has, so the table is its detail too.
 */
export function VmSnapshots({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const snaps = useLoad(
    () =>
      cs.list<VmSnapshot>('listVMSnapshot', 'vmSnapshot', {
        listall: true,
        keyword: q.keyword,
        virtualmachineid: q.virtualmachineid,
        ...paging,
      }),
    [q.keyword, q.virtualmachineid, paging.page, paging.pagesize],
  );
  const vms = useLoad(() => listVms(), []);
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({ vm: q.virtualmachineid ?? '', name: '', description: '', memory: false });
  const confirm = useConfirm();
  const notify = useNotify();
  useFeedRefresh(snaps.reload, (i) => i.kind === 'event' && i.type.startsWith('VMSNAPSHOT.'));
  const vmOptions = (vms.data ?? []).map((v) => ({ value: v.id, label: `${v.displayname || v.name} (${v.state})` }));
  return (
    <>
      <PageHeader title="Instance snapshots">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Take instance snapshot
        </button>
      </PageHeader>
      <Filters label="instance snapshots" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Instance"
          value={q.virtualmachineid ?? ''}
          onChange={(virtualmachineid) => filter({ virtualmachineid })}
          placeholder="Any instance"
          options={vmOptions}
        />
      </Filters>
      <ErrorBanner error={snaps.error} />
      {snaps.data ? (
        <>
          <Table
            caption="Instance snapshots"
            rows={snaps.data.items}
            rowKey={(s) => s.id}
            busy={snaps.loading}
            empty="No instance snapshots match."
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (s) => s.displayname || s.name,
                sortValue: (s) => s.displayname || s.name,
              },
              {
                key: 'state',
                label: 'State',
                render: (s) => <StateBadge state={s.state} />,
                sortValue: (s) => s.state,
              },
              {
                key: 'vm',
                label: 'Instance',
                render: (s) => <a href={href(`/instances/${s.virtualmachineid}`)}>{s.virtualmachinename}</a>,
                sortValue: (s) => s.virtualmachinename ?? '',
              },
              {
                key: 'type',
                label: 'Type',
                render: (s) => (s.type === 'DiskAndMemory' ? 'disks and memory' : 'disks'),
              },
              { key: 'current', label: 'Current', render: (s) => (s.current ? 'yes' : '') },
              { key: 'description', label: 'Description', render: (s) => s.description },
              { key: 'created', label: 'Created', render: (s) => when(s.created), sortValue: (s) => s.created ?? '' },
              {
                key: 'actions',
                label: 'Actions',
                render: (s) => (
                  <>
                    <button
                      type="button"
                      className="link"
                      aria-label={`Revert to ${s.displayname || s.name}`}
                      onClick={() =>
                        confirm.ask({
                          title: 'Revert instance',
                          label: 'Revert',
                          message: `Revert ${s.virtualmachinename} to ${s.displayname || s.name}? Its disks${s.type === 'DiskAndMemory' ? ' and memory' : ''} return to that moment.`,
                          run: async () => (
                            await act('revertToVMSnapshot', { vmsnapshotid: s.id }),
                            notify(`${s.virtualmachinename} reverted`, 'ok'),
                            snaps.reload()
                          ),
                        })
                      }
                    >
                      Revert
                    </button>{' '}
                    <button
                      type="button"
                      className="link"
                      aria-label={`Delete ${s.displayname || s.name}`}
                      onClick={() =>
                        confirm.ask({
                          title: 'Delete instance snapshot',
                          label: 'Delete',
                          message: `Delete ${s.displayname || s.name}?`,
                          run: async () => (await act('deleteVMSnapshot', { vmsnapshotid: s.id }), snaps.reload()),
                        })
                      }
                    >
                      Delete
                    </button>
                  </>
                ),
              },
            ]}
          />
          {pager(snaps.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Take an instance snapshot"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Take snapshot"
        onSubmit={async () => {
          await act('createVMSnapshot', {
            virtualmachineid: f.vm,
            name: f.name || undefined,
            description: f.description || undefined,
            snapshotmemory: f.memory,
          });
          notify('Instance snapshot taken', 'ok');
          snaps.reload();
        }}
      >
        <SelectField
          label="Instance"
          value={f.vm}
          onChange={(vm) => setF({ ...f, vm })}
          placeholder="Choose an instance"
          options={vmOptions}
          required
        />
        <TextField label="Name" value={f.name} onChange={(name) => setF({ ...f, name })} hint="Optional." />
        <TextField label="Description" value={f.description} onChange={(description) => setF({ ...f, description })} />
        <CheckField
          label="Include memory (running instances)"
          checked={f.memory}
          onChange={(memory) => setF({ ...f, memory })}
        />
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
