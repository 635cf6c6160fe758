import type { ReactNode } from 'react';
import { stateOf } from '../../../../src/ec2/states.js';
import { statusOf } from '../../../../src/gce/states.js';
import { frontIds, frontResources, type FrontNames, type FrontResources } from '../../api/fronts';
import { useLoad } from '../../api/hooks';
import { Table } from '../../components/Table';
import { ErrorBanner, Loading, PageHeader } from '../../components/ui';
import { href } from '../../router';

export type Front = 'ec2' | 'gce';

interface Row {
  cs: { id: string; name: string; state?: string; type?: string };
  names: FrontNames;
}

/** One kind of resource: how CloudStack, and then the front, names it, and the command that reaches it. */
interface Kind {
  key: keyof FrontResources;
  title: string;
  /** EC2: the describe command and its id option; GCE: the gcloud group, zonal or global. */
  ec2: { command: string; option: string };
  gce: { group: string; zonal: boolean };
  link?: (id: string) => string;
}

const KINDS: Kind[] = [
  {
    key: 'instances',
    title: 'Instances',
    ec2: { command: 'describe-instances', option: '--instance-ids' },
    gce: { group: 'instances', zonal: true },
    link: (id) => href(`/instances/${id}`),
  },
  {
    key: 'volumes',
    title: 'Volumes (disks)',
    ec2: { command: 'describe-volumes', option: '--volume-ids' },
    gce: { group: 'disks', zonal: true },
  },
  {
    key: 'images',
    title: 'Templates (images)',
    ec2: { command: 'describe-images', option: '--image-ids' },
    gce: { group: 'images', zonal: false },
  },
  {
    key: 'securityGroups',
    title: 'Security groups (firewalls)',
    ec2: { command: 'describe-security-groups', option: '--group-ids' },
    gce: { group: 'firewall-rules', zonal: false },
    link: (id) => href(`/security-groups/${id}`),
  },
];

const ec2State = (r: Row) => (r.cs.state ? stateOf(r.cs.state).Name : '');
const gceState = (r: Row) => (r.cs.state ? (statusOf(r.cs.state) ?? 'gone (404)') : '');

/**
 * The caller's resources as the EC2 or the GCE front shows them: the ids and names each front
 * uses (derived from the CloudStack ids and names, as the fronts derive them) and the AWS CLI or
 * gcloud command that reaches each one.
 */
export function FrontView({ front }: { front: Front }) {
  const data = useLoad(async () => {
    const resources = await frontResources();
    return { resources, ids: await frontIds(resources) };
  }, []);
  // The fronts share the console's origin: the address the browser reached is the one clients use.
  const base = location.origin;
  const project = data.data?.ids.gceProject ?? 'admin';
  const command = (k: Kind, n: FrontNames): string =>
    front === 'ec2'
      ? `aws --endpoint-url ${base} ec2 ${k.ec2.command} ${k.ec2.option} ${n.ec2Id}`
      : `gcloud compute ${k.gce.group} describe ${n.gceName}${k.gce.zonal && n.gceZone ? ` --zone ${n.gceZone}` : ''} --project ${project}`;
  const title = front === 'ec2' ? 'EC2 view' : 'GCE view';
  let body: ReactNode;
  if (!data.data) body = data.error ? null : <Loading what="Asking the fronts for their names" />;
  else {
    const { resources, ids } = data.data;
    body = KINDS.map((k) => {
      const rows: Row[] = resources[k.key].map((r, i) => ({ cs: r, names: ids[k.key][i]! }));
      return (
        <section key={k.key} aria-labelledby={`${front}-${k.key}`}>
          <h2 id={`${front}-${k.key}`}>{k.title}</h2>
          <Table
            caption={`${k.title} in the ${title}`}
            rows={rows}
            rowKey={(r) => r.cs.id}
            empty="None."
            columns={[
              {
                key: 'name',
                label: 'CloudStack name',
                render: (r) => (k.link ? <a href={k.link(r.cs.id)}>{r.cs.name}</a> : r.cs.name),
                sortValue: (r) => r.cs.name,
              },
              ...(front === 'ec2'
                ? [
                    {
                      key: 'ec2',
                      label: 'EC2 id',
                      render: (r: Row) => <code className="id">{r.names.ec2Id}</code>,
                      sortValue: (r: Row) => r.names.ec2Id,
                    },
                    ...(k.key === 'instances' ? [{ key: 'state', label: 'EC2 state', render: ec2State }] : []),
                  ]
                : [
                    {
                      key: 'gce',
                      label: 'GCE name',
                      render: (r: Row) => <code className="id">{r.names.gceName}</code>,
                      sortValue: (r: Row) => r.names.gceName,
                    },
                    { key: 'zone', label: 'Zone', render: (r: Row) => (k.gce.zonal ? r.names.gceZone : 'global') },
                    {
                      key: 'gceid',
                      label: 'Numeric id',
                      render: (r: Row) => <code className="id">{r.names.gceId}</code>,
                    },
                    ...(k.key === 'instances' ? [{ key: 'state', label: 'Status', render: gceState }] : []),
                  ]),
              {
                key: 'cmd',
                label: front === 'ec2' ? 'AWS CLI' : 'gcloud',
                render: (r) => <code className="cmd">{command(k, r.names)}</code>,
              },
            ]}
          />
        </section>
      );
    });
  }
  return (
    <>
      <PageHeader title={title} />
      <p>
        The same cloud through the {front === 'ec2' ? 'EC2 Query API at ' : 'Compute Engine v1 API at '}
        <code>{front === 'ec2' ? `${base}/` : `${base}/compute/v1/`}</code>
        {front === 'gce' && (
          <>
            {' '}
            (project <code>{project}</code>)
          </>
        )}
        . Set up the client once:{' '}
        <code className="cmd">{`eval "$(polystack env --url ${base} --${front === 'ec2' ? 'aws' : 'gce'})"`}</code>, or
        download the exports from <a href={href('/credentials')}>Credentials</a>.
      </p>
      <ErrorBanner error={data.error} />
      {body}
    </>
  );
}
