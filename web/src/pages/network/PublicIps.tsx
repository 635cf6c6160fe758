import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import { runJob } from '../../api/jobs';
import type { Network, PublicIp } from '../../api/types';
import { Confirm, FormDialog } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { Details, ErrorBanner, Field, Loading, PageHeader, StateBadge } from '../../components/ui';
import { useNotify } from '../../notify';
import { href, navigate, useRoute } from '../../router';
import { FirewallRules, PortForwardingRules } from './IpRules';

/** Public addresses the caller holds: acquire one for an isolated network, release, open for its rules. */
export function PublicIps() {
  const networkId = useRoute().query.get('networkid') ?? undefined;
  const ips = useLoad(
    () =>
      cs
        .list<PublicIp>('listPublicIpAddresses', 'publicipaddress', { listall: true, associatednetworkid: networkId })
        .then((r) => r.items),
    [networkId],
  );
  const nets = useLoad(
    () => cs.list<Network>('listNetworks', 'network', { type: 'Isolated' }).then((r) => r.items),
    [],
  );
  const [acquiring, setAcquiring] = useState(false);
  const [net, setNet] = useState(networkId ?? '');
  const notify = useNotify();
  useFeedRefresh(ips.reload, (i) => i.kind === 'event' && i.type.startsWith('NET.IP'));
  return (
    <>
      <PageHeader title="Public IP addresses">
        <button type="button" className="primary" onClick={() => setAcquiring(true)}>
          Acquire a public IP
        </button>
      </PageHeader>
      {networkId && (
        <p>
          For one network. <a href={href('/public-ips')}>All public IPs</a>
        </p>
      )}
      <ErrorBanner error={ips.error} />
      {ips.data ? (
        <Table
          caption="Public IP addresses"
          rows={ips.data}
          rowKey={(ip) => ip.id}
          empty="No public IP addresses."
          columns={[
            {
              key: 'ip',
              label: 'Address',
              render: (ip) => <a href={href(`/public-ips/${ip.id}`)}>{ip.ipaddress}</a>,
              sortValue: (ip) => ip.ipaddress,
            },
            { key: 'state', label: 'State', render: (ip) => <StateBadge state={ip.state} /> },
            {
              key: 'network',
              label: 'Network',
              render: (ip) => ip.associatednetworkname,
              sortValue: (ip) => ip.associatednetworkname ?? '',
            },
            {
              key: 'nat',
              label: 'Use',
              render: (ip) =>
                ip.issourcenat ? 'source NAT' : ip.isstaticnat ? `static NAT to ${ip.virtualmachinename}` : '',
            },
            { key: 'zone', label: 'Zone', render: (ip) => ip.zonename },
            { key: 'account', label: 'Account', render: (ip) => ip.account },
          ]}
        />
      ) : (
        <Loading />
      )}
      <FormDialog
        title="Acquire a public IP"
        open={acquiring}
        onClose={() => setAcquiring(false)}
        submitLabel="Acquire"
        onSubmit={async () => {
          const job = await runJob('associateIpAddress', { networkid: net });
          notify('Public IP acquired', 'ok');
          ips.reload();
          const acquired = job.jobinstanceid ?? (job.jobresult?.['ipaddress'] as { id?: string } | undefined)?.id;
          if (acquired) navigate(`/public-ips/${acquired}`);
        }}
      >
        <Field label="Network">
          {(id) => (
            <select id={id} value={net} onChange={(e) => setNet(e.target.value)} required>
              <option value="">Choose an isolated network</option>
              {nets.data?.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name} ({n.zonename})
                </option>
              ))}
            </select>
          )}
        </Field>
      </FormDialog>
    </>
  );
}

export function PublicIpDetail({ id }: { id: string }) {
  const ip = useLoad(
    () => cs.list<PublicIp>('listPublicIpAddresses', 'publicipaddress', { id, listall: true }).then((r) => r.items[0]),
    [id],
  );
  const [releasing, setReleasing] = useState(false);
  if (ip.error && !ip.data) return <ErrorBanner error={ip.error} />;
  if (!ip.data) return ip.loading ? <Loading /> : <p role="alert">No such public IP.</p>;
  const a = ip.data;
  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={href('/public-ips')}>Public IPs</a> /
      </nav>
      <PageHeader title={`Public IP ${a.ipaddress}`}>
        {!a.issourcenat && (
          <button type="button" className="danger" onClick={() => setReleasing(true)}>
            Release
          </button>
        )}
      </PageHeader>
      <Details
        rows={[
          ['State', <StateBadge state={a.state} />],
          ['Network', a.associatednetworkname],
          ['Zone', a.zonename],
          ['Source NAT', a.issourcenat ? 'yes' : 'no'],
          ['Static NAT', a.isstaticnat ? a.virtualmachinename : 'no'],
          ['Account', a.account],
        ]}
      />
      <FirewallRules ip={a} />
      <PortForwardingRules ip={a} />
      <Confirm
        open={releasing}
        title="Release public IP"
        message={`Release ${a.ipaddress}? Its rules are removed with it.`}
        confirmLabel="Release"
        onClose={() => setReleasing(false)}
        onConfirm={async () => {
          await runJob('disassociateIpAddress', { id });
          navigate('/public-ips');
        }}
      />
    </>
  );
}
