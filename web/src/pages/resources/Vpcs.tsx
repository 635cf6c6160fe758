import { useState } from 'react';
import { act, first } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { AclList, Offering, Vpc } from '../../api/resources';
import type { Network } from '../../api/types';
import { FormDialog } from '../../components/Dialog';
import { Crumbs, Filters, SelectField, TextField, optionsOf, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Loading, PageHeader, StateBadge, when } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate, type Route } from '../../router';
import { useListing, useRemoval } from './listing';
import { listZones } from './common';
import { AclLists } from './VpcAcls';

// Tiers are networks and ACL events are NETWORK.ACL.*: both change what a VPC page shows.
const isVpcEvent = (type: string) => type.startsWith('VPC.') || type.startsWith('NETWORK.');

/** Virtual private clouds: search, filter by zone, create one in an advanced zone. */
export function Vpcs({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const vpcs = useLoad(
    () => cs.list<Vpc>('listVPCs', 'vpc', { listall: true, keyword: q.keyword, zoneid: q.zoneid, ...paging }),
    [q.keyword, q.zoneid, paging.page, paging.pagesize],
  );
  const zones = useLoad(listZones, []);
  const offerings = useLoad(() => cs.list<Offering>('listVPCOfferings', 'vpcoffering', {}).then((r) => r.items), []);
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({
    name: '',
    displaytext: '',
    zoneid: '',
    cidr: '10.1.0.0/16',
    vpcofferingid: '',
    networkdomain: '',
  });
  const advanced = zones.data?.filter((z) => z.networktype === 'Advanced');
  useFeedRefresh(vpcs.reload, (i) => i.kind === 'event' && isVpcEvent(i.type));
  return (
    <>
      <PageHeader title="VPCs">
        <button
          type="button"
          className="primary"
          onClick={() => (
            setF({ ...f, vpcofferingid: f.vpcofferingid || offerings.data?.[0]?.id || '' }),
            setCreating(true)
          )}
        >
          Create VPC
        </button>
      </PageHeader>
      <Filters label="VPCs" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Zone"
          value={q.zoneid ?? ''}
          onChange={(zoneid) => filter({ zoneid })}
          placeholder="Any zone"
          options={optionsOf(zones.data)}
        />
      </Filters>
      <ErrorBanner error={vpcs.error} />
      {vpcs.data ? (
        <>
          <Table
            caption="VPCs"
            rows={vpcs.data.items}
            rowKey={(v) => v.id}
            busy={vpcs.loading}
            empty="No VPCs match. A VPC needs an advanced zone."
            columns={[
              {
                key: 'name',
                label: 'Name',
                render: (v) => <a href={href(`/vpcs/${v.id}`)}>{v.name}</a>,
                sortValue: (v) => v.name,
              },
              {
                key: 'state',
                label: 'State',
                render: (v) => <StateBadge state={v.state} />,
                sortValue: (v) => v.state,
              },
              { key: 'cidr', label: 'CIDR', render: (v) => v.cidr, sortValue: (v) => v.cidr },
              { key: 'tiers', label: 'Tiers', render: (v) => v.network?.length ?? 0, numeric: true },
              { key: 'offering', label: 'Offering', render: (v) => v.vpcofferingname },
              { key: 'zone', label: 'Zone', render: (v) => v.zonename, sortValue: (v) => v.zonename ?? '' },
              { key: 'account', label: 'Account', render: (v) => v.account, sortValue: (v) => v.account ?? '' },
            ]}
          />
          {pager(vpcs.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Create a VPC"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Create"
        onSubmit={async () => {
          const v = first<Vpc>(
            await act('createVPC', {
              name: f.name,
              displaytext: f.displaytext || f.name,
              zoneid: f.zoneid,
              cidr: f.cidr,
              vpcofferingid: f.vpcofferingid,
              networkdomain: f.networkdomain || undefined,
            }),
          );
          vpcs.reload();
          if (v?.id) navigate(`/vpcs/${v.id}`);
        }}
      >
        <TextField label="Name" value={f.name} onChange={(name) => setF({ ...f, name })} required />
        <TextField label="Description" value={f.displaytext} onChange={(displaytext) => setF({ ...f, displaytext })} />
        <SelectField
          label="Zone"
          value={f.zoneid}
          onChange={(zoneid) => setF({ ...f, zoneid })}
          placeholder="Choose an advanced zone"
          options={optionsOf(advanced)}
          required
        />
        <TextField
          label="Super CIDR"
          value={f.cidr}
          onChange={(cidr) => setF({ ...f, cidr })}
          required
          hint="The tiers' CIDRs are carved out of it."
        />
        <SelectField
          label="VPC offering"
          value={f.vpcofferingid}
          onChange={(vpcofferingid) => setF({ ...f, vpcofferingid })}
          options={optionsOf(offerings.data)}
          required
        />
        <TextField
          label="Network domain"
          value={f.networkdomain}
          onChange={(networkdomain) => setF({ ...f, networkdomain })}
          hint="Optional."
        />
      </FormDialog>
    </>
  );
}

/** One VPC: edit, restart, delete; its tiers (create, change ACL, delete) and its ACL lists. */
export function VpcDetail({ id }: { id: string }) {
  const vpc = useLoad(() => cs.list<Vpc>('listVPCs', 'vpc', { id, listall: true }).then((r) => r.items[0]), [id]);
  const tiers = useLoad(
    () =>
      cs
        .list<Network & { aclid?: string; aclname?: string; netmask?: string }>('listNetworks', 'network', {
          vpcid: id,
          listall: true,
        })
        .then((r) => r.items),
    [id],
  );
  const acls = useLoad(
    () => cs.list<AclList>('listNetworkACLLists', 'networkacllist', { vpcid: id, listall: true }).then((r) => r.items),
    [id],
  );
  const tierOfferings = useLoad(
    () =>
      cs
        .list<Offering>('listNetworkOfferings', 'networkoffering', { forvpc: true, state: 'Enabled' })
        .then((r) => r.items),
    [],
  );
  const [dialog, setDialog] = useState<'edit' | 'tier' | 'acl'>();
  const [edit, setEdit] = useState({ name: '', displaytext: '' });
  const [tier, setTier] = useState({
    name: '',
    gateway: '10.1.1.1',
    netmask: '255.255.255.0',
    networkofferingid: '',
    aclid: '',
  });
  const [replace, setReplace] = useState({ networkid: '', aclid: '' });
  const removal = useRemoval();
  const confirm = useConfirm();
  const notify = useNotify();
  const reloadAll = () => (vpc.reload(), tiers.reload(), acls.reload());
  useFeedRefresh(removal.live(reloadAll), (i) => i.kind === 'event' && isVpcEvent(i.type));
  if (vpc.error && !vpc.data) return <ErrorBanner error={vpc.error} />;
  if (!vpc.data) return vpc.loading ? <Loading /> : <p role="alert">No such VPC.</p>;
  const v = vpc.data;
  const aclOptions = optionsOf(acls.data);
  return (
    <>
      <Crumbs to={href('/vpcs')} label="VPCs" />
      <PageHeader title={`VPC ${v.name}`}>
        <button
          type="button"
          onClick={() => (setEdit({ name: v.name, displaytext: v.displaytext ?? '' }), setDialog('edit'))}
        >
          Edit
        </button>
        <button
          type="button"
          onClick={() =>
            confirm.ask({
              title: 'Restart VPC',
              message: `Restart ${v.name}? Its router re-applies every tier's rules.`,
              label: 'Restart',
              danger: false,
              run: async () => (await act('restartVPC', { id }), notify(`VPC ${v.name} restarted`, 'ok'), reloadAll()),
            })
          }
        >
          Restart
        </button>
        <button
          type="button"
          className="danger"
          onClick={() =>
            confirm.ask({
              title: 'Delete VPC',
              message: `Delete ${v.name}? Its tiers must be gone first.`,
              label: 'Delete',
              run: () => removal.remove(async () => (await act('deleteVPC', { id }), navigate('/vpcs'))),
            })
          }
        >
          Delete
        </button>
      </PageHeader>
      <Details
        rows={[
          ['State', <StateBadge state={v.state} />],
          ['CIDR', v.cidr],
          ['Description', v.displaytext],
          ['Offering', v.vpcofferingname],
          ['Network domain', v.networkdomain],
          ['Zone', v.zonename],
          ['Account', v.account],
          ['Created', when(v.created)],
          ['ID', <code>{v.id}</code>],
        ]}
      />
      <section aria-labelledby="tiers-title">
        <h2 id="tiers-title">Tiers</h2>
        <ErrorBanner error={tiers.error} />
        <Table
          caption={`Tiers of ${v.name}`}
          rows={tiers.data ?? []}
          rowKey={(t) => t.id}
          busy={tiers.loading}
          empty="No tiers yet."
          columns={[
            { key: 'name', label: 'Name', render: (t) => t.name, sortValue: (t) => t.name },
            { key: 'state', label: 'State', render: (t) => <StateBadge state={t.state} /> },
            { key: 'cidr', label: 'CIDR', render: (t) => t.cidr },
            { key: 'gateway', label: 'Gateway', render: (t) => t.gateway },
            {
              key: 'acl',
              label: 'ACL list',
              render: (t) => t.aclname ?? acls.data?.find((a) => a.id === t.aclid)?.name,
            },
            {
              key: 'actions',
              label: 'Actions',
              render: (t) => (
                <>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Change ACL of ${t.name}`}
                    onClick={() => (setReplace({ networkid: t.id, aclid: t.aclid ?? '' }), setDialog('acl'))}
                  >
                    Change ACL
                  </button>{' '}
                  <button
                    type="button"
                    className="link"
                    aria-label={`Delete tier ${t.name}`}
                    onClick={() =>
                      confirm.ask({
                        title: 'Delete tier',
                        message: `Delete tier ${t.name}? It must have no instances left.`,
                        label: 'Delete',
                        run: async () => (await act('deleteNetwork', { id: t.id }), tiers.reload()),
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
        <button
          type="button"
          onClick={() => (
            setTier({
              ...tier,
              networkofferingid: tier.networkofferingid || tierOfferings.data?.[0]?.id || '',
              aclid: tier.aclid || acls.data?.[0]?.id || '',
            }),
            setDialog('tier')
          )}
        >
          Add tier
        </button>
      </section>
      <AclLists vpc={v} lists={acls} />
      <FormDialog
        title={`Edit ${v.name}`}
        open={dialog === 'edit'}
        onClose={() => setDialog(undefined)}
        submitLabel="Save"
        onSubmit={async () => (
          await act('updateVPC', { id, name: edit.name, displaytext: edit.displaytext }),
          vpc.reload()
        )}
      >
        <TextField label="Name" value={edit.name} onChange={(name) => setEdit({ ...edit, name })} required />
        <TextField
          label="Description"
          value={edit.displaytext}
          onChange={(displaytext) => setEdit({ ...edit, displaytext })}
        />
      </FormDialog>
      <FormDialog
        title={`Add a tier to ${v.name}`}
        open={dialog === 'tier'}
        onClose={() => setDialog(undefined)}
        submitLabel="Add tier"
        onSubmit={async () => {
          await act('createNetwork', {
            name: tier.name,
            displaytext: tier.name,
            vpcid: id,
            zoneid: v.zoneid,
            gateway: tier.gateway,
            netmask: tier.netmask,
            networkofferingid: tier.networkofferingid,
            aclid: tier.aclid || undefined,
          });
          notify(`Tier ${tier.name} added`, 'ok');
          tiers.reload();
          vpc.reload();
        }}
      >
        <TextField label="Tier name" value={tier.name} onChange={(name) => setTier({ ...tier, name })} required />
        <div className="row">
          <TextField
            label="Gateway"
            value={tier.gateway}
            onChange={(gateway) => setTier({ ...tier, gateway })}
            required
            hint={`Inside ${v.cidr}.`}
          />
          <TextField
            label="Netmask"
            value={tier.netmask}
            onChange={(netmask) => setTier({ ...tier, netmask })}
            required
          />
        </div>
        <SelectField
          label="Network offering"
          value={tier.networkofferingid}
          onChange={(networkofferingid) => setTier({ ...tier, networkofferingid })}
          options={optionsOf(tierOfferings.data)}
          required
        />
        <SelectField
          label="ACL list"
          value={tier.aclid}
          onChange={(aclid) => setTier({ ...tier, aclid })}
          placeholder="The VPC's default"
          options={aclOptions}
        />
      </FormDialog>
      <FormDialog
        title="Change a tier's ACL list"
        open={dialog === 'acl'}
        onClose={() => setDialog(undefined)}
        submitLabel="Replace ACL list"
        onSubmit={async () => (
          await act('replaceNetworkACLList', { networkid: replace.networkid, aclid: replace.aclid }),
          notify('ACL list replaced', 'ok'),
          tiers.reload()
        )}
      >
        <SelectField
          label="ACL list"
          value={replace.aclid}
          onChange={(aclid) => setReplace({ ...replace, aclid })}
          placeholder="Choose an ACL list"
          options={aclOptions}
          required
        />
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
