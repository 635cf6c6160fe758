import { useEffect, useState } from 'react';
import { cs, type Session } from './api/cloudstack';
import { feed } from './api/events';
import { Notifications } from './notify';
import { Login } from './pages/Login';
import { Shell } from './Shell';
import { Loading } from './components/ui';

/** Logged out: the login form (with why, after an expiry). Logged in: the console. */
export function App() {
  const [session, setSession] = useState<Session | undefined>(cs.session);
  const [ready, setReady] = useState(!cs.session);
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    cs.onExpired = (msg) => {
      feed.close();
      setSession(undefined);
      setMessage(msg);
    };
    // A reload keeps the session of this tab; ask the server whether it still stands.
    if (cs.session) {
      cs.available().then(
        () => setReady(true),
        () => setReady(true),
      );
    }
  }, []);
  const logout = async () => {
    feed.close();
    await cs.logout();
    setSession(undefined);
    setMessage('You have logged out.');
  };
  if (!session)
    return (
      <Login
        message={message}
        onLogin={(s) => {
          setMessage(undefined);
          setReady(true);
          setSession(s);
        }}
      />
    );
  if (!ready) return <Loading what="Opening your session" />;
  return (
    <Notifications>
      <Shell session={session} onLogout={logout} />
    </Notifications>
  );
}
