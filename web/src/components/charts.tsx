// Plots in plain SVG: a handful of shapes is all the console draws, so no chart library.

const level = (pct: number) => (pct >= 90 ? 'bad' : pct >= 75 ? 'warn' : 'ok');

/** One capacity as a bar, exposed as a meter with its numbers in words. */
export function CapacityBar({
  label,
  used,
  total,
  format = String,
  compact,
}: {
  label: string;
  used: number;
  total: number;
  format?: (n: number) => string;
  compact?: boolean;
}) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  const text = `${pct.toFixed(1)}% (${format(used)} of ${format(total)})`;
  // In a table row the column header names the bar; the meter keeps its full name for screen readers.
  return (
    <div className={compact ? 'capacity compact' : 'capacity'}>
      <div className="capacity-label">
        {!compact && <span>{label}</span>}
        <span className="muted">{text}</span>
      </div>
      <div
        className="bar"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-valuetext={text}
      >
        <div className={`fill ${level(pct)}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

export interface Slice {
  label: string;
  value: number;
  color: string;
}

/** Horizontal bars, one per label; the figure's accessible name carries the numbers. */
export function BarChart({ title, data }: { title: string; data: Slice[] }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const row = 26;
  const labelW = 90;
  const width = 360;
  const summary = data.map((d) => `${d.label} ${d.value}`).join(', ');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${data.length * row + 4}`} role="img" aria-label={`${title}: ${summary || 'none'}`}>
        {data.map((d, i) => {
          const w = ((width - labelW - 60) * d.value) / max;
          return (
            <g key={d.label} transform={`translate(0, ${i * row + 2})`}>
              <text x={labelW - 8} y={16} textAnchor="end" className="axis">
                {d.label}
              </text>
              <rect x={labelW} y={3} width={Math.max(w, d.value ? 2 : 0)} height={row - 8} rx={3} fill={d.color} />
              <text x={labelW + w + 6} y={16} className="axis">
                {d.value.toLocaleString()}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

export interface Series {
  name: string;
  color: string;
  points: { t: number; v: number }[];
}

/** Percentages over time, one line per series, 0–100 on the y axis. */
export function LineChart({ title, series }: { title: string; series: Series[] }) {
  const w = 360;
  const h = 150;
  const pad = { l: 34, r: 8, t: 8, b: 22 };
  const all = series.flatMap((s) => s.points);
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const x = (t: number) => pad.l + (t1 > t0 ? ((t - t0) / (t1 - t0)) * (w - pad.l - pad.r) : 0);
  const y = (v: number) => pad.t + (1 - Math.min(100, v) / 100) * (h - pad.t - pad.b);
  const latest = series.map((s) => `${s.name} ${s.points.at(-1)?.v.toFixed(0) ?? '–'}%`).join(', ');
  const time = (t: number) => new Date(t).toLocaleTimeString();
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${title}; latest: ${latest}`}>
        {[0, 50, 100].map((v) => (
          <g key={v}>
            <line x1={pad.l} x2={w - pad.r} y1={y(v)} y2={y(v)} className="grid" />
            <text x={pad.l - 4} y={y(v) + 4} textAnchor="end" className="axis">
              {v}%
            </text>
          </g>
        ))}
        {all.length > 0 && (
          <>
            <text x={pad.l} y={h - 4} className="axis">
              {time(t0)}
            </text>
            <text x={w - pad.r} y={h - 4} textAnchor="end" className="axis">
              {time(t1)}
            </text>
          </>
        )}
        {series.map((s) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={s.points.map((p) => `${x(p.t)},${y(p.v)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {title}:{' '}
        {series.map((s) => (
          <span key={s.name} className="legend">
            <span className="swatch" style={{ background: s.color }} aria-hidden="true" /> {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
