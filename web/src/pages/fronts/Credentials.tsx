import { exportsFor } from '../../../../src/control/exports.js';
import { credentials, download, gceKeyFile, type Credentials as Creds } from '../../api/fronts';
import { useAction, useLoad } from '../../api/hooks';
import { ErrorBanner, Loading, PageHeader } from '../../components/ui';
import { cs } from '../../api/cloudstack';
import { href } from '../../router';

interface Download {
  name: string;
  text: (c: Creds) => string;
  label: string;
}

interface FrontCard {
  id: string;
  title: string;
  intro: string;
  cli: string;
  files: Download[];
}

const CARDS: FrontCard[] = [
  {
    id: 'cloudstack',
    title: 'CloudStack',
    intro: 'cs, cmk (CloudMonkey), Ansible, Terraform and libcloud read these.',
    cli: '--cloudstack',
    files: [
      {
        name: 'cloudstack.env',
        label: 'Download cloudstack.env',
        text: (c) => exportsFor(c, { cloudstack: true, aws: false, gce: false }),
      },
      {
        name: 'cloudstack.ini',
        label: 'Download cloudstack.ini',
        text: (c) => `[cloudstack]\nendpoint = ${c.endpoints.cloudstack}\nkey = ${c.apiKey}\nsecret = ${c.secretKey}\n`,
      },
    ],
  },
  {
    id: 'aws',
    title: 'AWS (EC2)',
    intro: 'The AWS CLI and SDKs: the access key is the CloudStack API key, the secret its secret key.',
    cli: '--aws',
    files: [
      {
        name: 'aws.env',
        label: 'Download aws.env',
        text: (c) => exportsFor(c, { cloudstack: false, aws: true, gce: false }),
      },
      {
        name: 'aws-credentials',
        label: 'Download an AWS credentials file',
        text: (c) =>
          `# ~/.aws/credentials (use with --profile polystack; the endpoint is ${c.endpoints.base})\n[polystack]\naws_access_key_id = ${c.apiKey}\naws_secret_access_key = ${c.secretKey}\nregion = ${c.endpoints.ec2Region}\nendpoint_url = ${c.endpoints.base}\n`,
      },
    ],
  },
  {
    id: 'gce',
    title: 'GCE',
    cli: '--gce',
    intro:
      "gcloud and googleapis: the compute endpoint override, the project, and the OAuth client pair the token endpoint takes; these exports are what `polystack env --gce` prints. Google's libraries read a service-account key file (GOOGLE_APPLICATION_CREDENTIALS, with GOOGLE_CLOUD_UNIVERSE_DOMAIN=polystack.internal): each download is a new key.",
    files: [
      {
        name: 'gce.env',
        label: 'Download gce.env',
        text: (c) => exportsFor(c, { cloudstack: false, aws: false, gce: true }),
      },
    ],
  },
];

/** Whether the signed-in user has an API key pair (getUserKeys where the server has it, else listUsers). */
async function hasKeys(): Promise<boolean> {
  const id = cs.session!.userid;
  if (cs.supports('getUserKeys'))
    return !!(await cs.call<{ userkeys?: { apikey?: string } }>('getUserKeys', { id })).userkeys?.apikey;
  return !!(await cs.list<{ apikey?: string }>('listUsers', 'user', { id })).items[0]?.apikey;
}

/** The signed-in user's key pair for each front, as exports and files (from GET /_polystack/credentials). */
export function Credentials() {
  // Asked first through the API, so a user without keys is offered to make them rather than refused.
  const keys = useLoad(() => hasKeys(), []);
  const creds = useLoad(async () => (keys.data ? credentials() : undefined), [keys.data]);
  const gen = useAction();
  const c = creds.data;
  return (
    <>
      <PageHeader title="Credentials" />
      <p>
        Your own key pair ({c ? `${c.user} in ${c.account}` : 'this session'}), from{' '}
        <code>GET /_polystack/credentials</code>; in a shell,{' '}
        <code className="cmd">{`eval "$(polystack env --url ${c?.endpoints.base ?? location.origin} --cloudstack --aws --gce)"`}</code>{' '}
        prints the same. Keys are made with <code>registerUserKeys</code>
        {cs.isRootAdmin && (
          <>
            {' '}
            (or on the <a href={href('/accounts')}>accounts</a> page)
          </>
        )}
        .
      </p>
      <ErrorBanner error={keys.error ?? creds.error ?? gen.error} />
      {keys.data === false ? (
        <p>
          You have no API keys yet.{' '}
          <button
            type="button"
            className="primary"
            disabled={gen.busy}
            onClick={() => gen.run(() => cs.call('registerUserKeys', { id: cs.session!.userid })).then(keys.reload)}
          >
            Generate keys
          </button>
        </p>
      ) : !c ? (
        !creds.error && !keys.error && <Loading what="Reading your credentials" />
      ) : (
        <div className="grid two">
          {CARDS.map((card) => (
            <section key={card.id} className="card" aria-labelledby={`cred-${card.id}`}>
              <h2 id={`cred-${card.id}`}>{card.title}</h2>
              <p className="muted">{card.intro}</p>
              <pre className="code" aria-label={`${card.title} exports`} tabIndex={0}>
                {card.files[0]!.text(c)}
              </pre>
              <p className="muted small">
                Or:{' '}
                <code>
                  polystack env --url {c.endpoints.base} {card.cli}
                </code>
              </p>
              <div className="row buttons">
                {card.files.map((f) => (
                  <button key={f.name} type="button" onClick={() => download(f.name, f.text(c))}>
                    {f.label}
                  </button>
                ))}
                {card.id === 'gce' && (
                  <button
                    type="button"
                    disabled={gen.busy}
                    onClick={() =>
                      gen.run(async () =>
                        download(
                          `${c.gceProject}-key.json`,
                          `${JSON.stringify(await gceKeyFile(), null, 2)}\n`,
                          'application/json',
                        ),
                      )
                    }
                  >
                    Download a service-account key file
                  </button>
                )}
              </div>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
