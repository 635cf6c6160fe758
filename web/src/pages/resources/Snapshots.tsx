import { useState } from 'react';
import { act, first } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { DiskVolume, VolumeSnapshot } from '../../api/resources';
import { FormDialog } from '../../components/Dialog';
import { Crumbs, Filters, SelectField, TextField, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Loading, PageHeader, StateBadge, when } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate, type Route } from '../../router';
import { useListing } from './listing';
import { gib } from './common';

const isSnapshotEvent = (type: string) => type.startsWith('SNAPSHOT.');

/** Volume snapshots: search, filter by volume, take one of any volume. */
export function Snapshots({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const snaps = useLoad(
    () =>
      cs.list<VolumeSnapshot>('listSnapshots', 'snapshot', {
        listall: true,
        keyword: q.keyword,
        volumeid: q.volumeid,
        ...paging,
      }),
    [q.keyword, q.volumeid, paging.page, paging.pagesize],
  );
  const vols = useLoad(() => cs.list<DiskVolume>('listVolumes', 'volume', { listall: true }).then((r) => r.items), []);
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({ volumeid: '', name: '' });
  const volumeOptions = (vols.data ?? []).map((v) => ({
    value: v.id,
    label: `${v.name}${v.vmname ? ` (${v.vmname})` : ''}`,
  }));
  useFeedRefresh(snaps.reload, (i) => i.kind === 'event' && isSnapshotEvent(i.type));
  return (
    <>
      <PageHeader title="Snapshots">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Take snapshot
        </button>
      </PageHeader>
      <Filters label="snapshots" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Volume"
          value={q.volumeid ?? ''}
          onChange={(volumeid) => filter({ volumeid })}
          placeholder="Any volume"
          options={volumeOptions}
        />
      </Filters>
      <ErrorBanner error={snaps.error} />
      {snaps.data ? (
        <>
          <Table
            caption="Volume snapshots"
            rows={snaps.data.items}
            rowKey={(s) => s.id}
            busy={snaps.loading}
            empty="No snapshots match."
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (s) => <a href={href(`/snapshots/${s.id}`)}>{s.name}</a>,
                sortValue: (s) => s.name,
              },
              {
                key: 'state',
                label: 'State',
                render: (s) => <StateBadge state={s.state} />,
                sortValue: (s) => s.state,
              },
              {
                key: 'volume',
                label: 'Volume',
                render: (s) => <a href={href(`/volumes/${s.volumeid}`)}>{s.volumename}</a>,
                sortValue: (s) => s.volumename ?? '',
              },
              { key: 'type', label: 'Type', render: (s) => s.intervaltype ?? s.snapshottype },
              { key: 'size', label: 'Size', render: (s) => gib(s.virtualsize ?? s.physicalsize), numeric: true },
              { key: 'created', label: 'Created', render: (s) => when(s.created), sortValue: (s) => s.created ?? '' },
              { key: 'account', label: 'Account', render: (s) => s.account },
            ]}
          />
          {pager(snaps.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Take a volume snapshot"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Take snapshot"
        onSubmit={async () => {
          const s = first<VolumeSnapshot>(
            await act('createSnapshot', { volumeid: f.volumeid, name: f.name || undefined }),
          );
          snaps.reload();
          if (s?.id) navigate(`/snapshots/${s.id}`);
        }}
      >
        <SelectField
          label="Volume"
          value={f.volumeid}
          onChange={(volumeid) => setF({ ...f, volumeid })}
          placeholder="Choose a volume"
          options={volumeOptions}
          required
        />
        <TextField label="Name" value={f.name} onChange={(name) => setF({ ...f, name })} hint="Optional." />
      </FormDialog>
    </>
  );
}

/** One snapshot: revert its volume to it, make a new volume of it, delete it. */
export function SnapshotDetail({ id }: { id: string }) {
  const snap = useLoad(
    () => cs.list<VolumeSnapshot>('listSnapshots', 'snapshot', { id, listall: true }).then((r) => r.items[0]),
    [id],
  );
  const [making, setMaking] = useState(false);
  const [name, setName] = useState('');
  const confirm = useConfirm();
  const notify = useNotify();
  if (snap.error && !snap.data) return <ErrorBanner error={snap.error} />;
  if (!snap.data) return snap.loading ? <Loading /> : <p role="alert">No such snapshot.</p>;
  const s = snap.data;
  return (
    <>
      <Crumbs to={href('/snapshots')} label="Snapshots" />
      <PageHeader title={`Snapshot ${s.name}`}>
        <button type="button" onClick={() => setMaking(true)}>
          Create volume
        </button>
        <button
          type="button"
          disabled={s.revertable === false}
          title={s.revertable === false ? 'This snapshot cannot be reverted to on its storage' : undefined}
          onClick={() =>
            confirm.ask({
              title: 'Revert volume',
              message: `Revert ${s.volumename} to ${s.name}? What was written since is lost.`,
              label: 'Revert',
              run: async () => (
                await act('revertSnapshot', { id }),
                notify(`${s.volumename} reverted`, 'ok'),
                snap.reload()
              ),
            })
          }
        >
          Revert volume
        </button>
        <button
          type="button"
          className="danger"
          onClick={() =>
            confirm.ask({
              title: 'Delete snapshot',
              message: `Delete ${s.name}?`,
              label: 'Delete',
              run: async () => (await act('deleteSnapshot', { id }), navigate('/snapshots')),
            })
          }
        >
          Delete
        </button>
      </PageHeader>
      <Details
        rows={[
          ['State', <StateBadge state={s.state} />],
          ['Volume', <a href={href(`/volumes/${s.volumeid}`)}>{s.volumename}</a>],
          ['Volume type', s.volumetype],
          ['Type', s.intervaltype ?? s.snapshottype],
          ['Size', gib(s.virtualsize ?? s.physicalsize)],
          ['Zone', s.zonename],
          ['Account', s.account],
          ['Created', when(s.created)],
          ['ID', <code>{s.id}</code>],
        ]}
      />
      <FormDialog
        title={`A volume from ${s.name}`}
        open={making}
        onClose={() => setMaking(false)}
        submitLabel="Create volume"
        onSubmit={async () => {
          const v = first<DiskVolume>(await act('createVolume', { snapshotid: id, name }));
          if (v?.id) navigate(`/volumes/${v.id}`);
        }}
      >
        <TextField label="Volume name" value={name} onChange={setName} required />
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
