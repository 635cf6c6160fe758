import { useState } from 'react';
import { act } from '../../api/act';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import type { PfRule } from '../../api/resources';
import { FormDialog } from '../../components/Dialog';
import { Filters, SelectField, TextField, useConfirm } from '../../components/forms';
import { Table } from '../../components/Table';
import { ErrorBanner, Loading, PageHeader, StateBadge } from '../../components/ui';
import { href, type Route } from '../../router';
import { useListing } from './listing';
import { listVms } from './common';
import { listRuleIps } from './LoadBalancers';

const range = (a: string, b?: string) => (b && b !== a ? `${a}–${b}` : a);

/**
 * Every port-forwarding rule of the caller across public IPs (each address's page shows its own):
 * filter by address, forward a port to an instance, delete. A row is the whole rule.
 */
export function PortForwarding({ route }: { route: Route }) {
  const { q, filter, paging, pager } = useListing(route);
  const rules = useLoad(
    () =>
      cs.list<PfRule>('listPortForwardingRules', 'portforwardingrule', {
        listall: true,
        keyword: q.keyword,
        ipaddressid: q.ipaddressid,
        ...paging,
      }),
    [q.keyword, q.ipaddressid, paging.page, paging.pagesize],
  );
  const ips = useLoad(listRuleIps, []);
  const [creating, setCreating] = useState(false);
  const [f, setF] = useState({ ipaddressid: '', protocol: 'tcp', publicport: '2222', privateport: '22', vm: '' });
  const networkid = ips.data?.find((ip) => ip.id === f.ipaddressid)?.associatednetworkid;
  const vms = useLoad(async () => (networkid ? listVms({ networkid }) : []), [networkid]);
  const confirm = useConfirm();
  useFeedRefresh(rules.reload, (i) => i.kind === 'event' && i.type.startsWith('NET.RULE'));
  const ipOptions = (ips.data ?? []).map((ip) => ({
    value: ip.id,
    label: `${ip.ipaddress} (${ip.associatednetworkname ?? ''})`,
  }));
  return (
    <>
      <PageHeader title="Port forwarding">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Forward a port
        </button>
      </PageHeader>
      <Filters label="port forwarding rules" keyword={q.keyword ?? ''} onKeyword={(keyword) => filter({ keyword })}>
        <SelectField
          label="Public IP"
          value={q.ipaddressid ?? ''}
          onChange={(ipaddressid) => filter({ ipaddressid })}
          placeholder="Any address"
          options={ipOptions}
        />
      </Filters>
      <ErrorBanner error={rules.error} />
      {rules.data ? (
        <>
          <Table
            caption="Port forwarding rules"
            rows={rules.data.items}
            rowKey={(r) => r.id}
            busy={rules.loading}
            empty="No port forwarding rules match."
            columns={[
              {
                key: 'ip',
                label: 'Public IP',
                render: (r) => <a href={href(`/public-ips/${r.ipaddressid}`)}>{r.ipaddress}</a>,
                sortValue: (r) => r.ipaddress,
              },
              { key: 'protocol', label: 'Protocol', render: (r) => r.protocol },
              {
                key: 'public',
                label: 'Public ports',
                render: (r) => range(r.publicport, r.publicendport),
                sortValue: (r) => Number(r.publicport),
                numeric: true,
              },
              {
                key: 'private',
                label: 'Private ports',
                render: (r) => range(r.privateport, r.privateendport),
                numeric: true,
              },
              {
                key: 'vm',
                label: 'Instance',
                render: (r) => (
                  <a href={href(`/instances/${r.virtualmachineid}`)}>
                    {r.virtualmachinedisplayname || r.virtualmachinename}
                  </a>
                ),
                sortValue: (r) => r.virtualmachinename ?? '',
              },
              { key: 'guest', label: 'Guest IP', render: (r) => r.vmguestip },
              { key: 'state', label: 'State', render: (r) => <StateBadge state={r.state} /> },
              {
                key: 'actions',
                label: 'Actions',
                render: (r) => (
                  <button
                    type="button"
                    className="link"
                    aria-label={`Delete forwarding ${r.ipaddress}:${r.publicport}`}
                    onClick={() =>
                      confirm.ask({
                        title: 'Delete port forwarding',
                        message: `Stop forwarding ${r.ipaddress}:${r.publicport} to ${r.virtualmachinename}?`,
                        label: 'Delete',
                        run: async () => (await act('deletePortForwardingRule', { id: r.id }), rules.reload()),
                      })
                    }
                  >
                    Delete
                  </button>
                ),
              },
            ]}
          />
          {pager(rules.data.count)}
        </>
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Forward a port"
        open={creating}
        onClose={() => setCreating(false)}
        submitLabel="Add rule"
        onSubmit={async () => (
          await act('createPortForwardingRule', {
            ipaddressid: f.ipaddressid,
            protocol: f.protocol,
            publicport: f.publicport,
            privateport: f.privateport,
            virtualmachineid: f.vm,
            openfirewall: false,
          }),
          rules.reload()
        )}
      >
        <SelectField
          label="Public IP"
          value={f.ipaddressid}
          onChange={(ipaddressid) => setF({ ...f, ipaddressid, vm: '' })}
          placeholder="Choose an address"
          options={ipOptions}
          required
        />
        <SelectField
          label="Protocol"
          value={f.protocol}
          onChange={(protocol) => setF({ ...f, protocol })}
          options={[
            { value: 'tcp', label: 'TCP' },
            { value: 'udp', label: 'UDP' },
          ]}
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
          label="Instance"
          value={f.vm}
          onChange={(vm) => setF({ ...f, vm })}
          placeholder={networkid ? 'Choose an instance on its network' : 'Choose an address first'}
          options={(vms.data ?? []).map((v) => ({ value: v.id, label: `${v.displayname || v.name} (${v.state})` }))}
          required
        />
      </FormDialog>
      {confirm.dialog}
    </>
  );
}
