import { useEffect, useId, useRef, type ReactNode } from 'react';

/** The API's errortext, announced; never an empty page. */
export function ErrorBanner({ error, onDismiss }: { error: string | undefined; onDismiss?: () => void }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <span>{error}</span>
      {onDismiss && (
        <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss error">
          ×
        </button>
      )}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

const STATE_CLASS: Record<string, string> = {
  Running: 'ok',
  Up: 'ok',
  Enabled: 'ok',
  enabled: 'ok',
  Allocated: 'ok',
  Implemented: 'ok',
  Active: 'ok',
  Ready: 'ok',
  Free: 'idle',
  Stopped: 'idle',
  Setup: 'idle',
  Disabled: 'idle',
  disabled: 'idle',
  Maintenance: 'warn',
  PrepareForMaintenance: 'warn',
  Starting: 'busy',
  Stopping: 'busy',
  Migrating: 'busy',
  Expunging: 'busy',
  Allocating: 'busy',
  Releasing: 'busy',
  Error: 'bad',
  Down: 'bad',
  Alert: 'bad',
  Destroyed: 'bad',
  Disconnected: 'bad',
  ErrorInMaintenance: 'bad',
  locked: 'bad',
};

export function StateBadge({ state }: { state: string | undefined }) {
  if (!state) return null;
  return <span className={`badge ${STATE_CLASS[state] ?? 'idle'}`}>{state}</span>;
}

/**
 * A page's heading: focused when the page opens, so keyboard and screen-reader users start at
 * the top of what changed rather than at the end of the menu.
 */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
    document.title = `${title} · polystack`;
  }, [title]);
  return (
    <header className="page-header">
      <h1 tabIndex={-1} ref={ref}>
        {title}
      </h1>
      <div className="actions">{children}</div>
    </header>
  );
}

/** A labelled form control: the label is tied to the control by id, with an optional hint. */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (id: string, describedBy?: string) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint && (
        <small id={hintId} className="muted">
          {hint}
        </small>
      )}
    </div>
  );
}

/** A definition list of an object's fields, skipping the empty ones. */
export function Details({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="details">
      {rows
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

export const when = (s: string | undefined): string =>
  s ? new Date(s).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '';
