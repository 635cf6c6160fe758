import { useState, type ReactNode } from 'react';
import { act, first } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import type { Offering } from '../../api/resources';
import { bytes } from '../../api/types';
import { FormDialog } from '../../components/Dialog';
import { CheckField, Crumbs, Filters, SelectField, TextField, useConfirm } from '../../components/forms';
import type { Column } from '../../components/Table';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Loading, PageHeader, StateBadge, when } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate, type Route } from '../../router';
import { useListing } from './listing';
import { OfferingFields, createParams, emptyForm, type OfferingForm } from './OfferingFields';

export type OfferingKind = 'service' | 'disk' | 'network' | 'vpc';

/** The four offering families share a page; what differs is the commands and the columns. */
export const KINDS: Record<
  OfferingKind,
  { label: string; list: string; key: string; create: string; update: string; del: string; stateful: boolean }
> = {
  service: {
    label: 'Service offerings',
    list: 'listServiceOfferings',
    key: 'serviceoffering',
    create: 'createServiceOffering',
    update: 'updateServiceOffering',
    del: 'deleteServiceOffering',
    stateful: false,
  },
  disk: {
    label: 'Disk offerings',
    list: 'listDiskOfferings',
    key: 'diskoffering',
    create: 'createDiskOffering',
    update: 'updateDiskOffering',
    del: 'deleteDiskOffering',
    stateful: false,
  },
  network: {
    label: 'Network offerings',
    list: 'listNetworkOfferings',
    key: 'networkoffering',
    create: 'createNetworkOffering',
    update: 'updateNetworkOffering',
    del: 'deleteNetworkOffering',
    stateful: true,
  },
  vpc: {
    label: 'VPC offerings',
    list: 'listVPCOfferings',
    key: 'vpcoffering',
    create: 'createVPCOffering',
    update: 'updateVPCOffering',
    del: 'deleteVPCOffering',
    stateful: true,
  },
};

const services = (o: Offering) => o.service?.map((s) => s.name).join(', ') ?? o.supportedservices;

function columnsOf(kind: OfferingKind): Column<Offering>[] {
  const name: Column<Offering> = {
    key: 'name',
    label: 'Name',
    render: (o) => <a href={href(`/offerings/${kind}/${o.id}`)}>{o.name}</a>,
    sortValue: (o) => o.name,
  };
  const text: Column<Offering> = { key: 'text', label: 'Description', render: (o) => o.displaytext };
  const state: Column<Offering> = {
    key: 'state',
    label: 'State',
    render: (o) => <StateBadge state={o.state} />,
    sortValue: (o) => o.state ?? '',
  };
  if (kind === 'service')
    return [
      name,
      text,
      {
        key: 'cpu',
        label: 'CPU',
        render: (o) => (o.iscustomized ? 'custom' : `${o.cpunumber} × ${o.cpuspeed} MHz`),
        sortValue: (o) => o.cpunumber ?? 0,
      },
      {
        key: 'memory',
        label: 'Memory',
        render: (o) => (o.memory ? bytes(o.memory * 1024 ** 2) : 'custom'),
        sortValue: (o) => o.memory ?? 0,
        numeric: true,
      },
      { key: 'storage', label: 'Storage', render: (o) => o.storagetype },
      { key: 'ha', label: 'HA', render: (o) => (o.offerha ? 'yes' : '') },
    ];
  if (kind === 'disk')
    return [
      name,
      text,
      {
        key: 'size',
        label: 'Size',
        render: (o) => (o.iscustomized ? 'custom' : `${o.disksize} GiB`),
        sortValue: (o) => o.disksize ?? 0,
        numeric: true,
      },
      { key: 'storage', label: 'Storage', render: (o) => o.storagetype },
    ];
  if (kind === 'network')
    return [
      name,
      state,
      { key: 'guest', label: 'Guest type', render: (o) => o.guestiptype, sortValue: (o) => o.guestiptype ?? '' },
      { key: 'services', label: 'Services', render: services },
    ];
  return [name, state, text, { key: 'services', label: 'Services', render: services }];
}

function Tabs({ kind }: { kind: OfferingKind }) {
  return (
    <nav className="offering-tabs" aria-label="Offering kinds">
      {(Object.keys(KINDS) as OfferingKind[]).map((k) => (
        <a key={k} href={href(`/offerings/${k}`)} aria-current={k === kind ? 'page' : undefined}>
          {KINDS[k].label}
        </a>
      ))}
    </nav>
  );
}

/** Offerings of one family: everyone lists them; admins create. */
export function Offerings({ kind, route }: { kind: OfferingKind; route: Route }) {
  const k = KINDS[kind];
  const { q, filter, paging, pager } = useListing(route);
  const list = useLoad(
    () => cs.list<Offering>(k.list, k.key, { keyword: q.keyword, state: k.stateful ? q.state : undefined, ...paging }),
    [kind, q.keyword, q.state, paging.page, paging.pagesize],
  );
  const [creating, setCreating] = useState(false);
  const [form, setForm] = useState<OfferingForm>(emptyForm);
  return (
    <>
      <PageHeader title="Offerings">
        {cs.isAdmin && (
          <button type="button" className="primary" onClick={() => (setForm(emptyForm), setCreating(true))}>
            Create {k.label.toLowerCase().replace(/s$/, '')}
          </button>
        )}
      </PageHeader>
      <Tabs kind={kind} />
      <Filters label={k.label} keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        {k.stateful && (
          <SelectField
            label="State"
            value={q.state ?? ''}
            onChange={(state) => filter({ state })}
            placeholder="Any state"
            options={['Enabled', 'Disabled'].map((s) => ({ value: s, label: s }))}
          />
        )}
      </Filters>
      <ErrorBanner error={list.error} />
      {list.data ? (
        <>
          <Table
            caption={k.label}
            rows={list.data.items}
            rowKey={(o) => o.id}
            busy={list.loading}
            empty={`No ${k.label.toLowerCase()} match.`}
            columns={columnsOf(kind)}
          />
          {pager(list.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title={`Create a ${k.label.toLowerCase().replace(/s$/, '')}`}
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        wide
        onSubmit={async () => {
          const o = first<Offering>(await act(k.create, createParams(kind, form)));
          list.reload();
          if (o?.id) navigate(`/offerings/${kind}/${o.id}`);
        }}
      >
        <OfferingFields kind={kind} form={form} onChange={(p) => setForm((f) => ({ ...f, ...p }))} />
      </FormDialog>
    </>
  );
}

/** One offering, every field shown; admins rename, enable or disable (network and VPC), delete. */
export function OfferingDetail({ kind, id }: { kind: OfferingKind; id: string }) {
  const k = KINDS[kind];
  const o = useLoad(() => cs.list<Offering>(k.list, k.key, { id }).then((r) => r.items[0]), [kind, id]);
  const [editing, setEditing] = useState(false);
  const [edit, setEdit] = useState({ name: '', displaytext: '', enabled: false });
  const confirm = useConfirm();
  const notify = useNotify();
  if (o.error && !o.data) return <ErrorBanner error={o.error} />;
  if (!o.data) return o.loading ? <Loading /> : <p role="alert">No such offering.</p>;
  const x = o.data;
  const rows: [string, ReactNode][] = [
    ['Description', x.displaytext],
    ['State', x.state && <StateBadge state={x.state} />],
    ['CPU', x.cpunumber && `${x.cpunumber} × ${x.cpuspeed} MHz`],
    ['Memory', x.memory && bytes(x.memory * 1024 ** 2)],
    ['Disk size', kind === 'disk' ? (x.iscustomized ? 'custom' : `${x.disksize} GiB`) : undefined],
    ['Custom', x.iscustomized ? 'yes' : undefined],
    ['Storage type', x.storagetype],
    ['Offers HA', x.offerha ? 'yes' : undefined],
    ['Storage tags', x.tags],
    ['Guest type', x.guestiptype],
    ['Traffic type', x.traffictype],
    ['Services', services(x)],
    ['Network rate', x.networkrate && `${x.networkrate} Mb/s`],
    ['Default', x.isdefault ? 'yes' : undefined],
    ['Domain', x.domain],
    ['Zone', x.zone],
    ['Created', when(x.created)],
    ['ID', <code>{x.id}</code>],
  ];
  return (
    <>
      <Crumbs to={href(`/offerings/${kind}`)} label={k.label} />
      <PageHeader title={x.name}>
        {cs.isAdmin && (
          <>
            <button
              type="button"
              onClick={() => (
                setEdit({ name: x.name, displaytext: x.displaytext ?? '', enabled: x.state === 'Enabled' }),
                setEditing(true)
              )}
            >
              Edit
            </button>
            <button
              type="button"
              className="danger"
              onClick={() =>
                confirm.ask({
                  title: 'Delete offering',
                  message: `Delete ${x.name}? What was made from it keeps running.`,
                  label: 'Delete',
                  run: async () => (await act(k.del, { id }), navigate(`/offerings/${kind}`)),
                })
              }
            >
              Delete
            </button>
          </>
        )}
      </PageHeader>
      <Details rows={rows} />
      <FormDialog
        title={`Edit ${x.name}`}
        open={editing}
        onClose={() => setEditing(false)}
        submitLabel="Save"
        onSubmit={async () => {
          await act(k.update, {
            id,
            name: edit.name,
            displaytext: edit.displaytext,
            state: k.stateful ? (edit.enabled ? 'Enabled' : 'Disabled') : undefined,
          });
          notify(`${edit.name} saved`, 'ok');
          o.reload();
        }}
      >
        <TextField label="Name" value={edit.name} onChange={(name) => setEdit({ ...edit, name })} required />
        <TextField
          label="Description"
          value={edit.displaytext}
          onChange={(displaytext) => setEdit({ ...edit, displaytext })}
          required
        />
        {k.stateful && (
          <CheckField
            label="Enabled (may be chosen for new networks)"
            checked={edit.enabled}
            onChange={(enabled) => setEdit({ ...edit, enabled })}
          />
        )}
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
