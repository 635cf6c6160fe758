import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useFeedRefresh } from '../../api/events';
import { useLoad } from '../../api/hooks';
import { runJob } from '../../api/jobs';
import type { Network } from '../../api/types';
import { Confirm } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { ErrorBanner, Loading, PageHeader, StateBadge } from '../../components/ui';
import { useNotify } from '../../notify';
import { href } from '../../router';

/** Guest networks of the caller (all accounts for an admin), with restart and delete. */
export function Networks() {
  const nets = useLoad(() => cs.list<Network>('listNetworks', 'network', { listall: true }).then((r) => r.items), []);
  const [pending, setPending] = useState<{ net: Network; action: 'restart' | 'delete' }>();
  const notify = useNotify();
  useFeedRefresh(nets.reload, (i) => i.kind === 'event' && i.type.startsWith('NETWORK.'));
  return (
    <>
      <PageHeader title="Networks" />
      <ErrorBanner error={nets.error} />
      {nets.data ? (
        <Table
          caption="Networks"
          rows={nets.data}
          rowKey={(n) => n.id}
          empty="No guest networks. In an advanced zone the first deploy creates the account's network."
          columns={[
            { key: 'name', label: 'Name', render: (n) => n.name, sortValue: (n) => n.name },
            { key: 'state', label: 'State', render: (n) => <StateBadge state={n.state} />, sortValue: (n) => n.state },
            { key: 'type', label: 'Type', render: (n) => n.type, sortValue: (n) => n.type },
            { key: 'cidr', label: 'CIDR', render: (n) => n.cidr, sortValue: (n) => n.cidr ?? '' },
            { key: 'zone', label: 'Zone', render: (n) => n.zonename, sortValue: (n) => n.zonename ?? '' },
            { key: 'account', label: 'Account', render: (n) => n.account },
            {
              key: 'ips',
              label: 'Public IPs',
              render: (n) =>
                n.type === 'Isolated' ? <a href={href('/public-ips', { networkid: n.id })}>Public IPs</a> : null,
            },
            {
              key: 'actions',
              label: 'Actions',
              render: (n) => (
                <>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Restart network ${n.name}`}
                    onClick={() => setPending({ net: n, action: 'restart' })}
                  >
                    Restart
                  </button>{' '}
                  <button
                    type="button"
                    className="link"
                    aria-label={`Delete network ${n.name}`}
                    onClick={() => setPending({ net: n, action: 'delete' })}
                  >
                    Delete
                  </button>
                </>
              ),
            },
          ]}
        />
      ) : (
        <Loading />
      )}
      {pending && (
        <Confirm
          open
          title={`${pending.action === 'restart' ? 'Restart' : 'Delete'} network`}
          message={
            pending.action === 'restart'
              ? `Restart ${pending.net.name}? Its router is re-applied.`
              : `Delete ${pending.net.name}? It must have no instances left.`
          }
          confirmLabel={pending.action === 'restart' ? 'Restart' : 'Delete'}
          onClose={() => setPending(undefined)}
          onConfirm={async () => {
            await runJob(pending.action === 'restart' ? 'restartNetwork' : 'deleteNetwork', { id: pending.net.id });
            notify(`Network ${pending.net.name} ${pending.action === 'restart' ? 'restarted' : 'deleted'}`, 'ok');
            nets.reload();
          }}
        />
      )}
    </>
  );
}
