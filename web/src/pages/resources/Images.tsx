import { useState } from 'react';
import { act, first } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { Image, OsType } from '../../api/resources';
import { Dialog, FormDialog } from '../../components/Dialog';
import { CheckField, Crumbs, Filters, SelectField, TextField, optionsOf, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Loading, PageHeader, StateBadge, when } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate, type Route } from '../../router';
import { useListing, useRemoval } from './listing';
import { gib, listZones } from './common';

/** Templates and ISOs are one page each over the same commands, with the noun changed. */
export type ImageKind = 'template' | 'iso';

const K = {
  template: {
    title: 'Templates',
    noun: 'template',
    path: '/templates',
    list: 'listTemplates',
    key: 'template',
    filter: 'templatefilter',
    register: 'registerTemplate',
    update: 'updateTemplate',
    copy: 'copyTemplate',
    extract: 'extractTemplate',
    del: 'deleteTemplate',
    event: 'TEMPLATE.',
  },
  iso: {
    title: 'ISOs',
    noun: 'ISO',
    path: '/isos',
    list: 'listIsos',
    key: 'iso',
    filter: 'isofilter',
    register: 'registerIso',
    update: 'updateIso',
    copy: 'copyIso',
    extract: 'extractIso',
    del: 'deleteIso',
    event: 'ISO.',
  },
} as const;

const FILTERS = [
  { value: 'self', label: 'Mine' },
  { value: 'featured', label: 'Featured' },
  { value: 'community', label: 'Community' },
  { value: 'executable', label: 'Usable by me' },
  { value: 'all', label: 'All (admin)' },
];

const FORMATS = ['QCOW2', 'VHD', 'RAW', 'OVA', 'VMDK'].map((f) => ({ value: f, label: f }));

const listOsTypes = () => cs.list<OsType>('listOsTypes', 'ostype', {}).then((r) => r.items);
const osOptions = (xs: OsType[] | undefined) => (xs ?? []).map((o) => ({ value: o.id, label: o.description }));
const readiness = (i: Image) => <StateBadge state={i.isready ? 'Ready' : (i.status ?? 'Not ready')} />;

/** One row per image and zone, as CloudStack lists them; filter by who may use them, zone and name. */
export function Images({ kind, route }: { kind: ImageKind; route: Route }) {
  const k = K[kind];
  const { q, filter, paging, pager } = useListing(route);
  const show = q.show ?? (cs.isRootAdmin ? 'all' : 'executable');
  const images = useLoad(
    () =>
      cs.list<Image>(k.list, k.key, {
        [k.filter]: show,
        keyword: q.keyword,
        zoneid: q.zoneid,
        listall: true,
        ...paging,
      }),
    [kind, show, q.keyword, q.zoneid, paging.page, paging.pagesize],
  );
  const zones = useLoad(listZones, []);
  const os = useLoad(listOsTypes, []);
  const hypervisors = useLoad(
    () => cs.list<{ name: string }>('listHypervisors', 'hypervisor', {}).then((r) => r.items.map((h) => h.name)),
    [],
  );
  const [registering, setRegistering] = useState(false);
  const [f, setF] = useState({
    name: '',
    displaytext: '',
    url: '',
    zoneid: '-1',
    format: 'QCOW2',
    hypervisor: '',
    ostypeid: '',
    ispublic: false,
    isextractable: true,
    passwordenabled: false,
    bootable: true,
  });
  const set = (p: Partial<typeof f>) => setF({ ...f, ...p });
  useFeedRefresh(images.reload, (i) => i.kind === 'event' && i.type.startsWith(k.event));
  return (
    <>
      <PageHeader title={k.title}>
        <button type="button" className="primary" onClick={() => setRegistering(true)}>
          Register {k.noun}
        </button>
      </PageHeader>
      <Filters label={k.title} keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Show"
          value={show}
          onChange={(v) => filter({ show: v })}
          options={FILTERS.filter((x) => x.value !== 'all' || cs.isAdmin)}
        />
        <SelectField
          label="Zone"
          value={q.zoneid ?? ''}
          onChange={(zoneid) => filter({ zoneid })}
          placeholder="Any zone"
          options={optionsOf(zones.data)}
        />
      </Filters>
      <ErrorBanner error={images.error} />
      {images.data ? (
        <>
          <Table
            caption={k.title}
            rows={images.data.items}
            rowKey={(i) => `${i.id}/${i.zoneid ?? ''}`}
            busy={images.loading}
            empty={`No ${k.title.toLowerCase()} match.`}
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (i) => <a href={href(`${k.path}/${i.id}`)}>{i.name}</a>,
                sortValue: (i) => i.name,
              },
              { key: 'ready', label: 'Ready', render: readiness },
              { key: 'os', label: 'OS type', render: (i) => i.ostypename, sortValue: (i) => i.ostypename ?? '' },
              ...(kind === 'template' ? [{ key: 'format', label: 'Format', render: (i: Image) => i.format }] : []),
              { key: 'size', label: 'Size', render: (i) => gib(i.size), sortValue: (i) => i.size ?? 0, numeric: true },
              { key: 'zone', label: 'Zone', render: (i) => i.zonename, sortValue: (i) => i.zonename ?? '' },
              { key: 'public', label: 'Public', render: (i) => (i.ispublic ? 'yes' : 'no') },
              { key: 'account', label: 'Owner', render: (i) => i.account, sortValue: (i) => i.account ?? '' },
            ]}
          />
          {pager(images.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title={`Register a ${k.noun}`}
        open={registering}
        onClose={() => setRegistering(false)}
        submitLabel="Register"
        wide
        onSubmit={async () => {
          const common = {
            name: f.name,
            displaytext: f.displaytext || f.name,
            url: f.url,
            zoneid: f.zoneid,
            ostypeid: f.ostypeid,
            ispublic: f.ispublic,
            isextractable: f.isextractable,
            passwordenabled: f.passwordenabled,
          };
          const params =
            kind === 'template'
              ? { ...common, format: f.format, hypervisor: f.hypervisor || hypervisors.data?.[0] }
              : { ...common, bootable: f.bootable };
          const r = await act<Record<string, unknown>>(k.register, params);
          const made = (r[k.key] as Image[] | undefined)?.[0] ?? first<Image>(r);
          images.reload();
          if (made?.id) navigate(`${k.path}/${made.id}`);
        }}
      >
        <div className="row">
          <TextField label="Name" value={f.name} onChange={(name) => set({ name })} required />
          <TextField label="Description" value={f.displaytext} onChange={(displaytext) => set({ displaytext })} />
        </div>
        <TextField
          label="URL"
          type="url"
          value={f.url}
          onChange={(url) => set({ url })}
          placeholder={`http://images.example/${kind === 'iso' ? 'disk.iso' : 'disk.qcow2'}`}
          required
          hint="Where the secondary storage downloads it from."
        />
        <div className="row">
          <SelectField
            label="Zone"
            value={f.zoneid}
            onChange={(zoneid) => set({ zoneid })}
            options={[{ value: '-1', label: 'All zones' }, ...optionsOf(zones.data)]}
          />
          {kind === 'template' && (
            <SelectField label="Format" value={f.format} onChange={(format) => set({ format })} options={FORMATS} />
          )}
          {kind === 'template' && (
            <SelectField
              label="Hypervisor"
              value={f.hypervisor || hypervisors.data?.[0] || ''}
              onChange={(hypervisor) => set({ hypervisor })}
              options={(hypervisors.data ?? []).map((h) => ({ value: h, label: h }))}
              required
            />
          )}
          <SelectField
            label="OS type"
            value={f.ostypeid}
            onChange={(ostypeid) => set({ ostypeid })}
            placeholder="Choose an OS type"
            options={osOptions(os.data)}
            required
          />
        </div>
        <CheckField
          label="Public (every account may use it)"
          checked={f.ispublic}
          onChange={(ispublic) => set({ ispublic })}
        />
        <CheckField
          label="Extractable (may be downloaded)"
          checked={f.isextractable}
          onChange={(isextractable) => set({ isextractable })}
        />
        {kind === 'template' ? (
          <CheckField
            label="Password enabled (a password is generated at deploy)"
            checked={f.passwordenabled}
            onChange={(passwordenabled) => set({ passwordenabled })}
          />
        ) : (
          <CheckField label="Bootable" checked={f.bootable} onChange={(bootable) => set({ bootable })} />
        )}
      </FormDialog>
    </>
  );
}

/** One template or ISO across its zones: edit, copy to another zone, extract (a download URL), delete in a zone or everywhere. */
export function ImageDetail({ kind, id }: { kind: ImageKind; id: string }) {
  const k = K[kind];
  const rows = useLoad(
    () => cs.list<Image>(k.list, k.key, { [k.filter]: 'all', id, listall: true }).then((r) => r.items),
    [kind, id],
  );
  const zones = useLoad(listZones, []);
  const os = useLoad(listOsTypes, []);
  const [dialog, setDialog] = useState<'edit' | 'copy' | 'extract'>();
  const [edit, setEdit] = useState({ name: '', displaytext: '', ostypeid: '', passwordenabled: false });
  const [copy, setCopy] = useState({ from: '', to: '' });
  const [extract, setExtract] = useState({ zoneid: '', url: '' });
  const removal = useRemoval();
  const confirm = useConfirm();
  const notify = useNotify();
  useFeedRefresh(removal.live(rows.reload), (i) => i.kind === 'event' && i.type.startsWith(k.event));
  if (rows.error && !rows.data) return <ErrorBanner error={rows.error} />;
  if (!rows.data?.length) return rows.loading ? <Loading /> : <p role="alert">No such {k.noun}.</p>;
  const img = rows.data[0]!;
  const here = rows.data.map((r) => ({ value: r.zoneid ?? '', label: r.zonename ?? '' }));
  const del = (zoneid?: string, zonename?: string) =>
    confirm.ask({
      title: `Delete ${k.noun}`,
      label: 'Delete',
      message: zoneid ? `Delete ${img.name} from ${zonename}?` : `Delete ${img.name} from every zone?`,
      run: async () => {
        if (zoneid && rows.data!.length > 1) return (await act(k.del, { id, zoneid }), rows.reload());
        await removal.remove(async () => (await act(k.del, { id, zoneid }), navigate(k.path)));
      },
    });
  return (
    <>
      <Crumbs to={href(k.path)} label={k.title} />
      <PageHeader title={`${kind === 'iso' ? 'ISO' : 'Template'} ${img.name}`}>
        <button
          type="button"
          onClick={() => (
            setEdit({
              name: img.name,
              displaytext: img.displaytext ?? '',
              ostypeid: img.ostypeid ?? '',
              passwordenabled: !!img.passwordenabled,
            }),
            setDialog('edit')
          )}
        >
          Edit
        </button>
        <button type="button" onClick={() => (setCopy({ from: img.zoneid ?? '', to: '' }), setDialog('copy'))}>
          Copy to zone
        </button>
        <button
          type="button"
          onClick={() => (setExtract({ zoneid: img.zoneid ?? '', url: '' }), setDialog('extract'))}
          disabled={!img.isextractable && !cs.isAdmin}
        >
          Extract
        </button>
        <button type="button" className="danger" onClick={() => del()}>
          Delete
        </button>
      </PageHeader>
      <Details
        rows={[
          ['Description', img.displaytext],
          ['OS type', img.ostypename],
          ['Format', img.format],
          ['Hypervisor', img.hypervisor],
          ['Size', gib(img.size)],
          ['Public', img.ispublic ? 'yes' : 'no'],
          ['Featured', img.isfeatured ? 'yes' : 'no'],
          ['Extractable', img.isextractable ? 'yes' : 'no'],
          ['Password enabled', kind === 'template' ? (img.passwordenabled ? 'yes' : 'no') : undefined],
          ['Bootable', kind === 'iso' ? (img.bootable ? 'yes' : 'no') : undefined],
          ['Owner', img.account],
          ['Created', when(img.created)],
          ['ID', <code>{img.id}</code>],
        ]}
      />
      <h2>Zones</h2>
      <Table
        caption={`Zones of ${img.name}`}
        rows={rows.data}
        rowKey={(r) => r.zoneid ?? 'all'}
        columns={[
          { key: 'zone', label: 'Zone', render: (r) => r.zonename },
          { key: 'ready', label: 'Ready', render: readiness },
          { key: 'status', label: 'Status', render: (r) => r.status },
          {
            key: 'actions',
            label: 'Actions',
            render: (r) => (
              <button
                type="button"
                className="link"
                aria-label={`Delete from ${r.zonename}`}
                onClick={() => del(r.zoneid, r.zonename)}
              >
                Delete from zone
              </button>
            ),
          },
        ]}
      />
      <FormDialog
        title={`Edit ${img.name}`}
        open={dialog === 'edit'}
        onClose={() => setDialog(undefined)}
        submitLabel="Save"
        onSubmit={async () => {
          await act(k.update, {
            id,
            name: edit.name,
            displaytext: edit.displaytext,
            ostypeid: edit.ostypeid || undefined,
            passwordenabled: kind === 'template' ? edit.passwordenabled : undefined,
          });
          notify(`${img.name} saved`, 'ok');
          rows.reload();
        }}
      >
        <TextField label="Name" value={edit.name} onChange={(name) => setEdit({ ...edit, name })} required />
        <TextField
          label="Description"
          value={edit.displaytext}
          onChange={(displaytext) => setEdit({ ...edit, displaytext })}
        />
        <SelectField
          label="OS type"
          value={edit.ostypeid}
          onChange={(ostypeid) => setEdit({ ...edit, ostypeid })}
          options={osOptions(os.data)}
        />
        {kind === 'template' && (
          <CheckField
            label="Password enabled"
            checked={edit.passwordenabled}
            onChange={(passwordenabled) => setEdit({ ...edit, passwordenabled })}
          />
        )}
      </FormDialog>
      <FormDialog
        title={`Copy ${img.name} to another zone`}
        open={dialog === 'copy'}
        onClose={() => setDialog(undefined)}
        submitLabel="Copy"
        onSubmit={async () => {
          await act(k.copy, { id, sourcezoneid: copy.from, destzoneids: copy.to });
          notify(`${img.name} copied`, 'ok');
          rows.reload();
        }}
      >
        <SelectField
          label="From zone"
          value={copy.from}
          onChange={(from) => setCopy({ ...copy, from })}
          options={here}
          required
        />
        <SelectField
          label="To zone"
          value={copy.to}
          onChange={(to) => setCopy({ ...copy, to })}
          placeholder="Choose a zone"
          options={optionsOf(zones.data?.filter((z) => z.id !== copy.from))}
          required
        />
      </FormDialog>
      <FormDialog
        title={`Extract ${img.name}`}
        open={dialog === 'extract'}
        onClose={() => setDialog(undefined)}
        submitLabel="Get download URL"
        onSubmit={async () => {
          const r = await act<Record<string, unknown>>(k.extract, {
            id,
            zoneid: extract.zoneid,
            mode: 'HTTP_DOWNLOAD',
          });
          const url = String((first<{ url?: string }>(r) ?? {}).url ?? '');
          setExtract({ ...extract, url });
        }}
      >
        <SelectField
          label="Zone"
          value={extract.zoneid}
          onChange={(zoneid) => setExtract({ zoneid, url: '' })}
          options={here}
          required
        />
      </FormDialog>
      <Dialog title={`Download ${img.name}`} open={!!extract.url} onClose={() => setExtract({ ...extract, url: '' })}>
        <p>
          The secondary storage serves it at <a href={extract.url}>{extract.url}</a>
        </p>
        <footer className="dialog-footer">
          <button type="button" onClick={() => setExtract({ ...extract, url: '' })}>
            Done
          </button>
        </footer>
      </Dialog>
      {confirm.dialog}
    </>
  );
}
