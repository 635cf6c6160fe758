import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import type { Cluster, Host, Pod, Zone } from '../../api/types';
import { ErrorBanner, Loading, StateBadge } from '../../components/ui';

interface Tree {
  zones: Zone[];
  pods: Pod[];
  clusters: Cluster[];
  hosts: Host[];
  /** Commands this server lacks, named so the gap is visible rather than silent. */
  missing: string[];
}

export async function loadTree(): Promise<Tree> {
  const opt = async <T,>(command: string, key: string): Promise<T[]> =>
    cs.supports(command) ? (await cs.list<T>(command, key)).items : [];
  const [zones, pods, clusters, hosts] = await Promise.all([
    cs.list<Zone>('listZones', 'zone').then((r) => r.items),
    opt<Pod>('listPods', 'pod'),
    opt<Cluster>('listClusters', 'cluster'),
    opt<Host>('listHosts', 'host'),
  ]);
  const missing = cs.isAdmin ? ['listPods', 'listClusters', 'listHosts'].filter((c) => !cs.supports(c)) : [];
  return { zones, pods, clusters, hosts: hosts.filter((h) => h.type === 'Routing'), missing };
}

/** Zones with their pods, clusters and hosts as nested lists (what an admin may list; a user sees zones). */
export function ZoneTree() {
  const { data, error, loading } = useLoad(loadTree, []);
  if (error) return <ErrorBanner error={error} />;
  if (!data) return loading ? <Loading what="Loading zones" /> : null;
  return (
    <div>
      <ul className="tree" aria-label="Zones">
        {data.zones.map((z) => (
          <li key={z.id}>
            <strong>{z.name}</strong>{' '}
            <span className="muted">
              {z.networktype}
              {z.securitygroupsenabled ? ', security groups' : ''}
            </span>{' '}
            <StateBadge state={z.allocationstate} />
            {data.pods.some((p) => p.zoneid === z.id) && (
              <ul>
                {data.pods
                  .filter((p) => p.zoneid === z.id)
                  .map((p) => (
                    <li key={p.id}>
                      Pod {p.name}
                      <ul>
                        {data.clusters
                          .filter((c) => c.podid === p.id)
                          .map((c) => (
                            <li key={c.id}>
                              Cluster {c.name} <span className="muted">{c.hypervisortype}</span>
                              <ul>
                                {data.hosts
                                  .filter((h) => h.clusterid === c.id)
                                  .map((h) => (
                                    <li key={h.id}>
                                      Host {h.name} <StateBadge state={h.state} />{' '}
                                      {h.resourcestate && h.resourcestate !== 'Enabled' && (
                                        <StateBadge state={h.resourcestate} />
                                      )}
                                    </li>
                                  ))}
                              </ul>
                            </li>
                          ))}
                      </ul>
                    </li>
                  ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {data.missing.length > 0 && (
        <p className="muted">
          This server does not answer {data.missing.join(', ')}; pods, clusters and hosts are not shown.
        </p>
      )}
    </div>
  );
}
