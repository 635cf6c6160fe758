import { useState } from 'react';
import { act, first } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { DiskVolume, VolumeSnapshot } from '../../api/resources';
import { FormDialog } from '../../components/Dialog';
import { CheckField, Crumbs, Filters, SelectField, TextField, optionsOf, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Loading, PageHeader, StateBadge, when } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate, type Route } from '../../router';
import { useListing, useRemoval } from './listing';
import { gib, listDiskOfferings, listVms, listZones } from './common';

/** Volumes of the caller (every account's for an admin): search, filter by type, zone or instance (`?virtualmachineid=`), create a data disk. */
export function Volumes({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const vols = useLoad(
    () =>
      cs.list<DiskVolume>('listVolumes', 'volume', {
        listall: true,
        keyword: q.keyword,
        type: q.type,
        zoneid: q.zoneid,
        virtualmachineid: q.virtualmachineid,
        ...paging,
      }),
    [q.keyword, q.type, q.zoneid, q.virtualmachineid, paging.page, paging.pagesize],
  );
  const zones = useLoad(listZones, []);
  const offerings = useLoad(listDiskOfferings, []);
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({ name: '', zoneid: '', diskofferingid: '', size: '' });
  const custom = offerings.data?.find((o) => o.id === f.diskofferingid)?.iscustomized;
  useFeedRefresh(vols.reload, (i) => i.kind === 'event' && i.type.startsWith('VOLUME.'));
  return (
    <>
      <PageHeader title="Volumes">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create volume
        </button>
      </PageHeader>
      {q.virtualmachineid && (
        <p>
          For one instance. <a href={href('/volumes')}>All volumes</a>
        </p>
      )}
      <Filters label="volumes" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Type"
          value={q.type ?? ''}
          onChange={(type) => filter({ type })}
          placeholder="Any type"
          options={[
            { value: 'ROOT', label: 'Root disk' },
            { value: 'DATADISK', label: 'Data disk' },
          ]}
        />
        <SelectField
          label="Zone"
          value={q.zoneid ?? ''}
          onChange={(zoneid) => filter({ zoneid })}
          placeholder="Any zone"
          options={optionsOf(zones.data)}
        />
      </Filters>
      <ErrorBanner error={vols.error} />
      {vols.data ? (
        <>
          <Table
            caption="Volumes"
            rows={vols.data.items}
            rowKey={(v) => v.id}
            busy={vols.loading}
            empty="No volumes match."
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (v) => <a href={href(`/volumes/${v.id}`)}>{v.name}</a>,
                sortValue: (v) => v.name,
              },
              {
                key: 'state',
                label: 'State',
                render: (v) => <StateBadge state={v.state} />,
                sortValue: (v) => v.state,
              },
              { key: 'type', label: 'Type', render: (v) => v.type, sortValue: (v) => v.type },
              { key: 'size', label: 'Size', render: (v) => gib(v.size), sortValue: (v) => v.size ?? 0, numeric: true },
              {
                key: 'vm',
                label: 'Instance',
                render: (v) =>
                  v.virtualmachineid ? (
                    <a href={href(`/instances/${v.virtualmachineid}`)}>{v.vmdisplayname || v.vmname}</a>
                  ) : (
                    ''
                  ),
              },
              { key: 'zone', label: 'Zone', render: (v) => v.zonename, sortValue: (v) => v.zonename ?? '' },
              { key: 'account', label: 'Account', render: (v) => v.account, sortValue: (v) => v.account ?? '' },
            ]}
          />
          {pager(vols.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Create a volume"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        onSubmit={async () => {
          const r = await act('createVolume', {
            name: f.name,
            zoneid: f.zoneid,
            diskofferingid: f.diskofferingid,
            size: custom ? f.size : undefined,
          });
          const v = first<DiskVolume>(r);
          vols.reload();
          if (v?.id) navigate(`/volumes/${v.id}`);
        }}
      >
        <TextField label="Name" value={f.name} onChange={(name) => setF({ ...f, name })} required />
        <SelectField
          label="Zone"
          value={f.zoneid}
          onChange={(zoneid) => setF({ ...f, zoneid })}
          placeholder="Choose a zone"
          options={optionsOf(zones.data)}
          required
        />
        <SelectField
          label="Disk offering"
          value={f.diskofferingid}
          onChange={(diskofferingid) => setF({ ...f, diskofferingid })}
          placeholder="Choose a disk offering"
          options={(offerings.data ?? []).map((o) => ({
            value: o.id,
            label: o.iscustomized ? `${o.name} (custom size)` : `${o.name} (${o.disksize} GiB)`,
          }))}
          required
        />
        {custom && (
          <TextField
            label="Size (GiB)"
            type="number"
            min={1}
            value={f.size}
            onChange={(size) => setF({ ...f, size })}
            required
          />
        )}
      </FormDialog>
    </>
  );
}

/** One volume: attach to an instance, detach, resize, snapshot, delete; its snapshots below. */
export function VolumeDetail({ id }: { id: string }) {
  const vol = useLoad(
    () => cs.list<DiskVolume>('listVolumes', 'volume', { id, listall: true }).then((r) => r.items[0]),
    [id],
  );
  const snaps = useLoad(
    () => cs.list<VolumeSnapshot>('listSnapshots', 'snapshot', { volumeid: id, listall: true }).then((r) => r.items),
    [id],
  );
  const zoneid = vol.data?.zoneid;
  const vms = useLoad(async () => (zoneid ? listVms({ zoneid }) : []), [zoneid]);
  const offerings = useLoad(listDiskOfferings, []);
  const [dialog, setDialog] = useState<'attach' | 'resize' | 'snapshot'>();
  const [vm, setVm] = useState('');
  const [size, setSize] = useState('');
  const [offering, setOffering] = useState('');
  const [shrink, setShrink] = useState(false);
  const [snapName, setSnapName] = useState('');
  const removal = useRemoval();
  const confirm = useConfirm();
  const notify = useNotify();
  useFeedRefresh(
    removal.live(() => (vol.reload(), snaps.reload())),
    (i) => i.kind === 'event' && (i.type.startsWith('VOLUME.') || i.type.startsWith('SNAPSHOT.')),
  );
  if (vol.error && !vol.data) return <ErrorBanner error={vol.error} />;
  if (!vol.data) return vol.loading ? <Loading /> : <p role="alert">No such volume.</p>;
  const v = vol.data;
  const done = (what: string) => {
    notify(`Volume ${v.name} ${what}`, 'ok');
    vol.reload();
    snaps.reload();
  };
  return (
    <>
      <Crumbs to={href('/volumes')} label="Volumes" />
      <PageHeader title={`Volume ${v.name}`}>
        {v.virtualmachineid ? (
          v.type === 'DATADISK' && (
            <button
              type="button"
              onClick={() =>
                confirm.ask({
                  title: 'Detach volume',
                  message: `Detach ${v.name} from ${v.vmdisplayname || v.vmname}?`,
                  label: 'Detach',
                  run: async () => (await act('detachVolume', { id }), done('detached')),
                })
              }
            >
              Detach
            </button>
          )
        ) : (
          <button type="button" onClick={() => setDialog('attach')}>
            Attach
          </button>
        )}
        <button
          type="button"
          onClick={() => (setSize(String(Math.round((v.size ?? 0) / 1024 ** 3))), setDialog('resize'))}
        >
          Resize
        </button>
        <button type="button" onClick={() => setDialog('snapshot')}>
          Take snapshot
        </button>
        {!v.virtualmachineid && (
          <button
            type="button"
            className="danger"
            onClick={() =>
              confirm.ask({
                title: 'Delete volume',
                message: `Delete ${v.name}? Its data is gone for good.`,
                label: 'Delete',
                run: () => removal.remove(async () => (await act('deleteVolume', { id }), navigate('/volumes'))),
              })
            }
          >
            Delete
          </button>
        )}
      </PageHeader>
      <Details
        rows={[
          ['State', <StateBadge state={v.state} />],
          ['Type', v.type],
          ['Size', gib(v.size)],
          ['Disk offering', v.diskofferingname],
          [
            'Instance',
            v.virtualmachineid ? (
              <a href={href(`/instances/${v.virtualmachineid}`)}>{v.vmdisplayname || v.vmname}</a>
            ) : (
              'not attached'
            ),
          ],
          ['Device id', v.deviceid],
          ['Storage', v.storage],
          ['Zone', v.zonename],
          ['Account', v.account],
          ['Created', when(v.created)],
          ['ID', <code>{v.id}</code>],
        ]}
      />
      <h2>Snapshots</h2>
      <ErrorBanner error={snaps.error} />
      <Table
        caption={`Snapshots of ${v.name}`}
        rows={snaps.data ?? []}
        rowKey={(s) => s.id}
        busy={snaps.loading}
        empty="No snapshots of this volume."
        columns={[
          { key: 'name', label: 'Name', render: (s) => <a href={href(`/snapshots/${s.id}`)}>{s.name}</a> },
          { key: 'state', label: 'State', render: (s) => <StateBadge state={s.state} /> },
          { key: 'created', label: 'Created', render: (s) => when(s.created) },
        ]}
      />
      <FormDialog
        title={`Attach ${v.name}`}
        open={dialog === 'attach'}
        onClose={() => setDialog(undefined)}
        submitLabel="Attach"
        onSubmit={async () => (await act('attachVolume', { id, virtualmachineid: vm }), done('attached'))}
      >
        <SelectField
          label="Instance"
          value={vm}
          onChange={setVm}
          placeholder="Choose an instance in this zone"
          options={(vms.data ?? []).map((x) => ({ value: x.id, label: `${x.displayname || x.name} (${x.state})` }))}
          required
        />
      </FormDialog>
      <FormDialog
        title={`Resize ${v.name}`}
        open={dialog === 'resize'}
        onClose={() => setDialog(undefined)}
        submitLabel="Resize"
        onSubmit={async () => (
          await act('resizeVolume', {
            id,
            size: offering ? undefined : size,
            diskofferingid: offering || undefined,
            shrinkok: shrink,
          }),
          done('resized')
        )}
      >
        <SelectField
          label="Disk offering"
          value={offering}
          onChange={setOffering}
          placeholder="Keep the offering, set a size"
          options={optionsOf(offerings.data)}
        />
        {!offering && (
          <TextField label="New size (GiB)" type="number" min={1} value={size} onChange={setSize} required />
        )}
        <CheckField label="Allow shrinking" checked={shrink} onChange={setShrink} />
      </FormDialog>
      <FormDialog
        title={`Snapshot ${v.name}`}
        open={dialog === 'snapshot'}
        onClose={() => setDialog(undefined)}
        submitLabel="Take snapshot"
        onSubmit={async () => (
          await act('createSnapshot', { volumeid: id, name: snapName || undefined }),
          done('snapshotted')
        )}
      >
        <TextField
          label="Snapshot name"
          value={snapName}
          onChange={setSnapName}
          hint="Optional; CloudStack names it after the instance, volume and time otherwise."
        />
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
