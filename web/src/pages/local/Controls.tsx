import { useEffect, useRef, useState } from 'react';
import { cs, errorText } from '../../api/cloudstack';
import { control } from '../../api/control';
import { useFeed, type FeedItem } from '../../api/events';
import { download } from '../../api/fronts';
import { useAction, useLoad } from '../../api/hooks';
import type { Account } from '../../api/types';
import { Confirm } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { ErrorBanner, Field, Loading, PageHeader, when } from '../../components/ui';
import { useNotify } from '../../notify';

interface Clock {
  now: string;
  epochMillis: number;
  frozen: boolean;
}

/**
 * After a whole-cloud reset or a loaded snapshot the sessions table is what the seed or the
 * snapshot holds: this session may be gone, and the console says why rather than failing later.
 */
async function sessionSurvived(why: string): Promise<boolean> {
  try {
    await cs.call('listCapabilities');
    return true;
  } catch {
    cs.forget();
    cs.onExpired(`${why} Your session ended with it: log in again.`);
    return false;
  }
}

/** The virtual clock: the time every job, event and expiry reads; frozen, it moves only when told. */
function ClockCard() {
  const [clock, setClock] = useState<Clock>();
  const [advance, setAdvance] = useState('5m');
  const [at, setAt] = useState('');
  const { busy, error, run } = useAction();
  useEffect(() => {
    let live = true;
    const tick = () =>
      control<Clock>('GET', 'clock').then(
        (c) => live && setClock(c),
        () => undefined,
      );
    void tick();
    const t = setInterval(tick, 1000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  const send = (body: object) => run(async () => setClock(await control<Clock>('POST', 'clock', body)));
  return (
    <section className="card" aria-labelledby="clock-h">
      <h2 id="clock-h">Virtual clock</h2>
      {!clock ? (
        <Loading what="Reading the clock" />
      ) : (
        <p>
          <span aria-label="Cloud time">
            {new Date(clock.now)
              .toISOString()
              .replace('T', ' ')
              .replace(/\.\d+Z$/, ' UTC')}
          </span>{' '}
          <span className={`badge ${clock.frozen ? 'warn' : 'ok'}`}>{clock.frozen ? 'frozen' : 'running'}</span>
        </p>
      )}
      <div className="row">
        <button type="button" disabled={busy || !clock} onClick={() => send({ freeze: !clock?.frozen })}>
          {clock?.frozen ? 'Unfreeze' : 'Freeze'}
        </button>
      </div>
      <form className="row" onSubmit={(e) => (e.preventDefault(), void send({ advance }))}>
        <Field label="Advance by" hint="e.g. 30s, 5m, 2h, or milliseconds">
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              value={advance}
              onChange={(e) => setAdvance(e.target.value)}
              required
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          Advance
        </button>
      </form>
      <form className="row" onSubmit={(e) => (e.preventDefault(), void send({ set: new Date(at).toISOString() }))}>
        <Field label="Set to" hint="Your local time; the cloud keeps UTC">
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              type="datetime-local"
              step={1}
              value={at}
              onChange={(e) => setAt(e.target.value)}
              required
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          Set
        </button>
      </form>
      <ErrorBanner error={error} />
    </section>
  );
}

/** Reset the whole cloud to its seed, or empty one account. */
function ResetCard() {
  const accounts = useLoad(
    () => cs.list<Account>('listAccounts', 'account', { listall: true }).then((r) => r.items),
    [],
  );
  const [account, setAccount] = useState('');
  const [asking, setAsking] = useState<'cloud' | 'account'>();
  const notify = useNotify();
  const chosen = accounts.data?.find((a) => a.id === account);
  return (
    <section className="card" aria-labelledby="reset-h">
      <h2 id="reset-h">Reset</h2>
      <p className="muted">
        The cloud back to its seed (the admin keeps its API keys), or one account emptied of its resources (the account
        and its users stay).
      </p>
      <div className="row">
        <button type="button" className="danger" onClick={() => setAsking('cloud')}>
          Reset the cloud
        </button>
      </div>
      <div className="row">
        <Field label="Account">
          {(id) => (
            <select id={id} value={account} onChange={(e) => setAccount(e.target.value)}>
              <option value="">Choose an account</option>
              {accounts.data?.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.domain})
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="button" className="danger" disabled={!chosen} onClick={() => setAsking('account')}>
          Reset the account
        </button>
      </div>
      <Confirm
        open={asking === 'cloud'}
        title="Reset the cloud"
        message="Delete everything and apply the seed again? Every session ends, this one too."
        confirmLabel="Reset the cloud"
        onClose={() => setAsking(undefined)}
        onConfirm={async () => {
          const r = await control<{ tookMs: number }>('POST', 'reset', {});
          notify(`The cloud was reset in ${r.tookMs} ms`, 'ok');
          await sessionSurvived('The cloud was reset to its seed.');
        }}
      />
      <Confirm
        open={asking === 'account' && !!chosen}
        title="Reset an account"
        message={`Delete every resource of ${chosen?.name}? The account and its users stay.`}
        confirmLabel="Reset the account"
        onClose={() => setAsking(undefined)}
        onConfirm={async () => {
          await control('POST', 'reset', { account: chosen!.name, domainid: chosen!.domainid });
          notify(`Account ${chosen!.name} was emptied`, 'ok');
        }}
      />
    </section>
  );
}

/** The whole cloud as a JSON file, and such a file loaded back. */
function StateCard() {
  const save = useAction();
  const load = useAction();
  const file = useRef<HTMLInputElement>(null);
  const [loaded, setLoaded] = useState<string>();
  return (
    <section className="card" aria-labelledby="state-h">
      <h2 id="state-h">State</h2>
      <p className="muted">
        A snapshot holds every table; loading one replaces the cloud (a snapshot with a wrong checksum changes nothing).
      </p>
      <div className="row">
        <button
          type="button"
          disabled={save.busy}
          onClick={() =>
            save.run(async () => {
              const snap = await control<{ exportedAt: string }>('GET', 'state');
              download(
                `polystack-state-${snap.exportedAt.replace(/[:.]/g, '-')}.json`,
                JSON.stringify(snap),
                'application/json',
              );
            })
          }
        >
          {save.busy ? 'Saving…' : 'Download a snapshot'}
        </button>
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const f = file.current?.files?.[0];
          if (!f) return;
          void load.run(async () => {
            const r = await control<{ tables: number }>('POST', 'state', JSON.parse(await f.text()) as unknown);
            setLoaded(`Loaded ${f.name}: ${r.tables} tables.`);
            await sessionSurvived(`The snapshot ${f.name} was loaded.`);
          });
        }}
      >
        <Field label="Snapshot file">
          {(id) => <input id={id} ref={file} type="file" accept="application/json,.json" required />}
        </Field>
        <button type="submit" disabled={load.busy}>
          {load.busy ? 'Loading…' : 'Load the snapshot'}
        </button>
      </form>
      {loaded && <p role="status">{loaded}</p>}
      <ErrorBanner error={save.error ?? load.error} />
    </section>
  );
}

/** The seed manifest this process applies on start and on reset, secrets masked. */
function SeedCard() {
  const seed = useLoad(() => control<unknown>('GET', 'seed'), []);
  return (
    <section className="card" aria-labelledby="seed-h">
      <h2 id="seed-h">Seed</h2>
      <p className="muted">
        Applied on start and on every reset; set with <code>--seed FILE</code> (or <code>POLYSTACK_SEED</code>).
        Passwords and keys are masked.
      </p>
      <ErrorBanner error={seed.error} />
      {seed.data === undefined ? (
        <Loading />
      ) : (
        <pre className="code" aria-label="Seed manifest" tabIndex={0}>
          {JSON.stringify(seed.data, null, 2)}
        </pre>
      )}
    </section>
  );
}

const LIVE_MAX = 200;
const at = (i: FeedItem) => (i.kind === 'event' ? i.created : i.completed);

/** /_polystack/events as it arrives: events and finished jobs, newest first. */
function LiveStream() {
  const [items, setItems] = useState<(FeedItem & { seq: number })[]>([]);
  const [paused, setPaused] = useState(false);
  const seq = useRef(0);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  useFeed((i) => {
    if (!pausedRef.current) setItems((xs) => [{ ...i, seq: ++seq.current }, ...xs].slice(0, LIVE_MAX));
  });
  return (
    <section className="card" aria-labelledby="live-h">
      <h2 id="live-h">Event stream (live)</h2>
      <div className="row">
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" onClick={() => setItems([])}>
          Clear
        </button>
        <span className="muted">
          From <code>GET /_polystack/events</code> (server-sent events), since this page opened; the last {LIVE_MAX}.
        </span>
      </div>
      <Table
        caption="Live events and jobs"
        rows={items}
        rowKey={(i) => String(i.seq)}
        empty="Nothing yet: deploy, stop or change something and it appears here."
        columns={[
          { key: 'when', label: 'When', render: (i) => when(at(i)) },
          { key: 'kind', label: 'Kind', render: (i) => i.kind },
          { key: 'what', label: 'What', render: (i) => (i.kind === 'event' ? i.type : i.cmd.replace(/^.*\./, '')) },
          {
            key: 'detail',
            label: 'Detail',
            render: (i) =>
              i.kind === 'event'
                ? `${i.level}: ${i.description}`
                : `${i.status}${i.instanceType ? ` (${i.instanceType})` : ''}`,
          },
        ]}
      />
    </section>
  );
}

/** The local cloud's own controls (/_polystack/*), which a real CloudStack does not have. */
export function Controls() {
  const [error, setError] = useState<string>();
  useEffect(() => {
    // The control endpoints take a root admin's session; say so at once rather than per card.
    control('GET', 'clock').catch((e: unknown) => setError(errorText(e)));
  }, []);
  return (
    <>
      <PageHeader title="Local cloud" />
      <ErrorBanner error={error} />
      <div className="grid two">
        <ClockCard />
        <ResetCard />
        <StateCard />
        <SeedCard />
      </div>
      <LiveStream />
    </>
  );
}
