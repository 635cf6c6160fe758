import { useState, type FormEvent } from 'react';
import { cs, type Session } from '../api/cloudstack';
import { useAction } from '../api/hooks';
import { ErrorBanner, Field } from '../components/ui';

/** Username, password and domain, posted as CloudStack's `login` command. */
export function Login({ message, onLogin }: { message?: string; onLogin: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [domain, setDomain] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const s = await run(async () => {
      const session = await cs.login(username, password, domain);
      await cs.available();
      return session;
    });
    if (s) onLogin(s);
  };
  return (
    <main className="login" id="main">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">polystack</h1>
        <p className="muted">Log in to the simulated cloud.</p>
        {message && !error && (
          <p className="notice" role="status">
            {message}
          </p>
        )}
        <Field label="Username">
          {(id) => (
            <input
              id={id}
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              autoFocus
            />
          )}
        </Field>
        <Field label="Password">
          {(id) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label="Domain" hint="The domain path, e.g. / for ROOT or /customers/acme">
          {(id, hint) => (
            <input
              id={id}
              name="domain"
              placeholder="/"
              aria-describedby={hint}
              value={domain}
              onChange={(e) => setDomain(e.target.value)}
            />
          )}
        </Field>
        <ErrorBanner error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
