import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useAction, useLoad } from '../../api/hooks';
import type { User } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Details, ErrorBanner, Loading } from '../../components/ui';

interface Keys {
  apikey?: string;
  secretkey?: string;
}

/** The user's current pair: getUserKeys where the server has it, else what listUsers shows. */
async function currentKeys(user: User): Promise<Keys> {
  if (cs.supports('getUserKeys'))
    return (await cs.call<{ userkeys?: Keys }>('getUserKeys', { id: user.id })).userkeys ?? {};
  return { apikey: user.apikey, secretkey: user.secretkey };
}

/** Show a user's API keys, or generate a new pair (registerUserKeys replaces the old one). */
export function UserKeys({ user, onClose }: { user: User; onClose: () => void }) {
  const keys = useLoad(() => currentKeys(user), [user.id]);
  const [fresh, setFresh] = useState<Keys>();
  const gen = useAction();
  const shown = fresh ?? keys.data;
  return (
    <Dialog title={`API keys of ${user.username}`} open onClose={onClose} wide>
      <ErrorBanner error={keys.error ?? gen.error} />
      {!shown ? (
        <Loading />
      ) : shown.apikey ? (
        <Details
          rows={[
            ['API key', <code className="secret">{shown.apikey}</code>],
            [
              'Secret key',
              shown.secretkey ? (
                <code className="secret">{shown.secretkey}</code>
              ) : (
                'not shown by this server (generate a new pair to see one)'
              ),
            ],
          ]}
        />
      ) : (
        <p>This user has no API keys.</p>
      )}
      {fresh && <p className="notice">A new pair was generated; the old one no longer works.</p>}
      <footer className="dialog-footer">
        <button
          type="button"
          className="primary"
          disabled={gen.busy}
          onClick={async () => {
            const r = await gen.run(() => cs.call<{ userkeys: Keys }>('registerUserKeys', { id: user.id }));
            if (r) setFresh(r.userkeys);
          }}
        >
          {shown?.apikey ? 'Generate a new pair' : 'Generate keys'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </footer>
    </Dialog>
  );
}
