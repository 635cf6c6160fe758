import { useState } from 'react';
import { cs } from '../../api/cloudstack';
import { useLoad } from '../../api/hooks';
import type { KeyPair } from '../../api/types';
import { Confirm, Dialog, FormDialog } from '../../components/Dialog';
import { Table } from '../../components/Table';
import { ErrorBanner, Field, Loading, PageHeader } from '../../components/ui';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-pem-file' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: `${name}.pem` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * SSH key pairs: create (the private key is in createSSHKeyPair's answer only, so it is offered
 * once, then gone), register a public key, delete.
 */
export function KeyPairs() {
  const keys = useLoad(
    () => cs.list<KeyPair>('listSSHKeyPairs', 'sshkeypair', { listall: true }).then((r) => r.items),
    [],
  );
  const [mode, setMode] = useState<'create' | 'register'>();
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [created, setCreated] = useState<KeyPair>();
  const [deleting, setDeleting] = useState<KeyPair>();
  const close = () => {
    setMode(undefined);
    setName('');
    setPublicKey('');
  };
  return (
    <>
      <PageHeader title="SSH key pairs">
        <button type="button" className="primary" onClick={() => setMode('create')}>
          Create key pair
        </button>
        <button type="button" onClick={() => setMode('register')}>
          Register public key
        </button>
      </PageHeader>
      <ErrorBanner error={keys.error} />
      {keys.data ? (
        <Table
          caption="SSH key pairs"
          rows={keys.data}
          rowKey={(k) => `${k.account}/${k.name}`}
          empty="No key pairs yet."
          columns={[
            { key: 'name', label: 'Name', render: (k) => k.name, sortValue: (k) => k.name },
            { key: 'fingerprint', label: 'Fingerprint', render: (k) => <code>{k.fingerprint}</code> },
            { key: 'account', label: 'Account', render: (k) => k.account, sortValue: (k) => k.account ?? '' },
            {
              key: 'actions',
              label: 'Actions',
              render: (k) => (
                <button
                  type="button"
                  className="link"
                  aria-label={`Delete key pair ${k.name}`}
                  onClick={() => setDeleting(k)}
                >
                  Delete
                </button>
              ),
            },
          ]}
        />
      ) : (
        <Loading />
      )}
      <FormDialog
        title={mode === 'register' ? 'Register a public key' : 'Create a key pair'}
        open={!!mode}
        onClose={close}
        submitLabel={mode === 'register' ? 'Register' : 'Create'}
        onSubmit={async () => {
          if (mode === 'register') await cs.call('registerSSHKeyPair', { name, publickey: publicKey });
          else setCreated((await cs.call<{ keypair: KeyPair }>('createSSHKeyPair', { name })).keypair);
          keys.reload();
        }}
      >
        <Field label="Name">
          {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}
        </Field>
        {mode === 'register' && (
          <Field label="Public key" hint="OpenSSH format: ssh-rsa AAAA… or ssh-ed25519 AAAA…">
            {(id, hint) => (
              <textarea
                id={id}
                aria-describedby={hint}
                rows={4}
                value={publicKey}
                onChange={(e) => setPublicKey(e.target.value)}
                required
              />
            )}
          </Field>
        )}
      </FormDialog>
      <Dialog
        title={`Private key of ${created?.name ?? ''}`}
        open={!!created}
        onClose={() => setCreated(undefined)}
        wide
      >
        <p role="alert" className="notice">
          This is the only time the private key is shown. Download it now; polystack does not keep it.
        </p>
        <pre className="code" aria-label="Private key" tabIndex={0}>
          {created?.privatekey}
        </pre>
        <footer className="dialog-footer">
          <button
            type="button"
            className="primary"
            onClick={() => created?.privatekey && download(created.name, created.privatekey)}
          >
            Download {created?.name}.pem
          </button>
          <button type="button" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </footer>
      </Dialog>
      {deleting && (
        <Confirm
          open
          title="Delete key pair"
          message={`Delete ${deleting.name}? Instances that use it keep the key they were given.`}
          confirmLabel="Delete"
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            // Another account's key (an admin's view) is named with its owner.
            const other = deleting.account !== cs.session?.account;
            await cs.call('deleteSSHKeyPair', {
              name: deleting.name,
              account: other ? deleting.account : undefined,
              domainid: other ? deleting.domainid : undefined,
            });
            keys.reload();
          }}
        />
      )}
    </>
  );
}
