import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import { bytes, mhz, type Cluster, type Pod, type Zone } from '../../api/types';
import { CapacityBar } from '../../components/charts';
import { Empty, ErrorBanner, Field, Loading, PageHeader } from '../../components/ui';
import { useQueryState, type Route } from '../../router';

interface CapacityRow {
  type: number;
  name?: string;
  zoneid: string;
  podid?: string;
  clusterid?: string;
  capacityused: number;
  capacitytotal: number;
  percentused?: string;
}

/** CloudStack's capacity types (Capacity.CAPACITY_TYPE_*): how to print their amounts. */
const FORMAT: Record<number, (n: number) => string> = { 0: bytes, 1: mhz, 2: bytes, 3: bytes, 6: bytes, 9: bytes };
const LEVELS = ['zone', 'pod', 'cluster'] as const;
type Level = (typeof LEVELS)[number];

interface Scope {
  id: string;
  name: string;
  where: string;
  params: Record<string, string>;
}

/** The scopes of a level: every zone, every pod (in its zone), every cluster (in its pod). */
async function scopes(level: Level): Promise<Scope[]> {
  const zones = (await cs.list<Zone>('listZones', 'zone')).items;
  const zoneName = (id: string) => zones.find((z) => z.id === id)?.name ?? id;
  if (level === 'zone') return zones.map((z) => ({ id: z.id, name: z.name, where: '', params: { zoneid: z.id } }));
  const pods = (await cs.list<Pod>('listPods', 'pod')).items;
  if (level === 'pod')
    return pods.map((p) => ({ id: p.id, name: p.name, where: zoneName(p.zoneid), params: { podid: p.id } }));
  const podName = (id: string) => pods.find((p) => p.id === id)?.name ?? id;
  const clusters = (await cs.list<Cluster>('listClusters', 'cluster')).items;
  return clusters.map((c) => ({
    id: c.id,
    name: c.name,
    where: `${zoneName(c.zoneid)} / ${podName(c.podid)}`,
    params: { clusterid: c.id },
  }));
}

/** listCapacity per zone, pod or cluster: one bar per capacity type the server reports there. */
export function Capacity({ route }: { route: Route }) {
  const [q, setQ] = useQueryState(route);
  const level = (LEVELS as readonly string[]).includes(q['level'] ?? '') ? (q['level'] as Level) : 'zone';
  const data = useLoad(async () => {
    const ss = await scopes(level);
    return Promise.all(
      ss.map(async (s) => ({
        scope: s,
        rows: (await cs.list<CapacityRow>('listCapacity', 'capacity', s.params)).items,
      })),
    );
  }, [level]);
  return (
    <>
      <PageHeader title="Capacity">
        <button type="button" onClick={data.reload}>
          Refresh
        </button>
      </PageHeader>
      <form className="filters" aria-label="Capacity scope" onSubmit={(e) => e.preventDefault()}>
        <Field label="Per">
          {(id) => (
            <select id={id} value={level} onChange={(e) => setQ({ level: e.target.value })}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorBanner error={data.error} />
      {!data.data ? (
        <Loading what="Loading capacity" />
      ) : !data.data.length ? (
        <Empty>No {level}.</Empty>
      ) : (
        <div className="grid two">
          {data.data.map((d) => (
            <section key={d.scope.id} className="card" aria-labelledby={`cap-${d.scope.id}`}>
              <h2 id={`cap-${d.scope.id}`}>
                {d.scope.name} {d.scope.where && <span className="muted small">{d.scope.where}</span>}
              </h2>
              {!d.rows.length && <Empty>No capacity reported here.</Empty>}
              {[...d.rows]
                .sort((a, b) => Number(a.type) - Number(b.type))
                .map((r) => (
                  <CapacityBar
                    key={r.type}
                    label={`${r.name ?? `type ${r.type}`} in ${d.scope.name}`}
                    used={Number(r.capacityused)}
                    total={Number(r.capacitytotal)}
                    format={FORMAT[Number(r.type)] ?? ((n) => n.toLocaleString())}
                  />
                ))}
            </section>
          ))}
        </div>
      )}
    </>
  );
}
