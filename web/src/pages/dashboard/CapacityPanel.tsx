import { useEffect, useState } from 'react';
import { readHistory, recordSample, zoneCapacity, type Sample, type ZoneCapacity } from '../../api/capacity';
import { cs, errorText } from '../../api/cloudstack';
import type { Zone } from '../../api/types';
import { bytes, mhz } from '../../api/types';
import { CapacityBar, LineChart } from '../../components/charts';
import { ErrorBanner, Loading } from '../../components/ui';

const KINDS = [
  { key: 'cpu', label: 'CPU', format: mhz, color: '#2563eb' },
  { key: 'memory', label: 'Memory', format: bytes, color: '#16a34a' },
  { key: 'storage', label: 'Storage', format: bytes, color: '#d97706' },
  { key: 'publicIps', label: 'Public IPs', format: (n: number) => n.toLocaleString(), color: '#9333ea' },
] as const;

const REFRESH_MS = 10_000;

/** Capacity bars per zone, refreshed every few seconds, and the same numbers over time. */
export function CapacityPanel() {
  const [zones, setZones] = useState<Zone[]>();
  const [caps, setCaps] = useState<Record<string, ZoneCapacity>>({});
  const [history, setHistory] = useState<Sample[]>(readHistory);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const tick = async () => {
      try {
        const zs = (await cs.list<Zone>('listZones', 'zone')).items;
        const entries = await Promise.all(zs.map(async (z) => [z.id, await zoneCapacity(z.id)] as const));
        if (!live) return;
        const next = Object.fromEntries(entries);
        setZones(zs);
        setCaps(next);
        setHistory(recordSample(next));
        setError(undefined);
      } catch (e) {
        if (live) setError(errorText(e));
      }
    };
    void tick();
    const t = setInterval(tick, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  if (error) return <ErrorBanner error={error} />;
  if (!zones) return <Loading what="Loading capacity" />;
  return (
    <div className="grid two">
      {zones.map((z) => {
        const c = caps[z.id];
        const shown = KINDS.filter((k) => c?.[k.key]);
        return (
          <section key={z.id} className="card" aria-labelledby={`cap-${z.id}`}>
            <h3 id={`cap-${z.id}`}>{z.name}</h3>
            {shown.map((k) => (
              <CapacityBar
                key={k.key}
                label={`${k.label} in ${z.name}`}
                used={c![k.key]!.used}
                total={c![k.key]!.total}
                format={k.format}
              />
            ))}
            {c && KINDS.some((k) => k.key !== 'publicIps' && !c[k.key]) && (
              <p className="muted small">
                From {c.source};{' '}
                {KINDS.filter((k) => k.key !== 'publicIps' && !c[k.key])
                  .map((k) => k.label)
                  .join(', ')}{' '}
                not reported by this server.
              </p>
            )}
            {history.length > 1 && (
              <LineChart
                title={`Capacity used over time in ${z.name}`}
                series={shown.map((k) => ({
                  name: k.label,
                  color: k.color,
                  points: history
                    .filter((s) => s.zones[z.id]?.[k.key] !== undefined)
                    .map((s) => ({ t: s.t, v: s.zones[z.id]![k.key]! })),
                }))}
              />
            )}
          </section>
        );
      })}
    </div>
  );
}
