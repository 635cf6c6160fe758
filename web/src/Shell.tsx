import type { ReactNode } from 'react';
import { cs, type Session } from './api/cloudstack';
import { href, useRoute, type Route } from './router';
import { Dashboard } from './pages/Dashboard';
import { InstanceList } from './pages/instances/InstanceList';
import { InstanceDetail } from './pages/instances/InstanceDetail';
import { DeployWizard } from './pages/instances/DeployWizard';
import { SecurityGroups, SecurityGroupDetail } from './pages/network/SecurityGroups';
import { KeyPairs } from './pages/network/KeyPairs';
import { Networks } from './pages/network/Networks';
import { PublicIps, PublicIpDetail } from './pages/network/PublicIps';
import { Infrastructure } from './pages/infra/Infrastructure';
import { Faults } from './pages/infra/Faults';
import { AccountsPage } from './pages/accounts/Accounts';
import { RESOURCE_NAV, RESOURCE_PAGES } from './pages/resources/routes';
import { MORE_NAV, MORE_PAGES } from './pages/morePages';

interface Page {
  path: RegExp;
  render: (m: RegExpMatchArray, r: Route) => ReactNode;
  rootOnly?: boolean;
}

const PAGES: Page[] = [
  { path: /^\/$/, render: () => <Dashboard /> },
  { path: /^\/instances$/, render: (_m, r) => <InstanceList route={r} /> },
  { path: /^\/instances\/new$/, render: () => <DeployWizard /> },
  {
    path: /^\/instances\/([\w-]+)$/,
    render: (m, r) => <InstanceDetail id={m[1]!} job={r.query.get('job') ?? undefined} />,
  },
  { path: /^\/security-groups$/, render: () => <SecurityGroups /> },
  { path: /^\/security-groups\/([\w-]+)$/, render: (m) => <SecurityGroupDetail id={m[1]!} /> },
  { path: /^\/key-pairs$/, render: () => <KeyPairs /> },
  { path: /^\/networks$/, render: () => <Networks /> },
  { path: /^\/public-ips$/, render: () => <PublicIps /> },
  { path: /^\/public-ips\/([\w-]+)$/, render: (m) => <PublicIpDetail id={m[1]!} /> },
  { path: /^\/infrastructure$/, render: () => <Infrastructure />, rootOnly: true },
  { path: /^\/infrastructure\/faults$/, render: () => <Faults />, rootOnly: true },
  { path: /^\/accounts$/, render: () => <AccountsPage />, rootOnly: true },
  ...RESOURCE_PAGES,
  ...MORE_PAGES,
];

const NAV: { label: string; path: string; rootOnly?: boolean; group?: string }[] = [
  { label: 'Dashboard', path: '/' },
  { label: 'Instances', path: '/instances' },
  { label: 'Security groups', path: '/security-groups', group: 'Networking' },
  { label: 'Key pairs', path: '/key-pairs', group: 'Networking' },
  { label: 'Networks', path: '/networks', group: 'Networking' },
  { label: 'Public IPs', path: '/public-ips', group: 'Networking' },
  { label: 'Zones, pods, hosts', path: '/infrastructure', rootOnly: true, group: 'Infrastructure' },
  { label: 'Fault rules', path: '/infrastructure/faults', rootOnly: true, group: 'Infrastructure' },
  { label: 'Domains & accounts', path: '/accounts', rootOnly: true, group: 'Administration' },
  ...RESOURCE_NAV,
  ...MORE_NAV,
];

// The menu's sections in this order; a section not named here follows them in the order it first appears.
const GROUP_ORDER = [undefined, 'Compute', 'Storage', 'Images', 'Networking', 'Infrastructure', 'Administration'];
const groupRank = (g: string | undefined) => (GROUP_ORDER.includes(g) ? GROUP_ORDER.indexOf(g) : GROUP_ORDER.length);

function Nav({ path }: { path: string }) {
  const items = NAV.filter((n) => !n.rootOnly || cs.isRootAdmin);
  // Sorted as objects: Array.sort puts undefined (the top section) last without asking the comparator.
  const groups = [...new Set(items.map((n) => n.group))]
    .map((g) => ({ g }))
    .sort((a, b) => groupRank(a.g) - groupRank(b.g))
    .map((x) => x.g);
  const current = (p: string) =>
    (p === '/' ? path === '/' : path === p || path.startsWith(`${p}/`)) &&
    !(p === '/infrastructure' && path.startsWith('/infrastructure/'));
  return (
    <nav className="sidebar" aria-label="Main">
      {groups.map((g) => (
        <div key={g ?? 'top'}>
          {g && <h2 className="nav-group">{g}</h2>}
          <ul>
            {items
              .filter((n) => n.group === g)
              .map((n) => (
                <li key={n.path}>
                  <a href={href(n.path)} aria-current={current(n.path) ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/** The logged-in frame: header with the user and logout, the menu, and the page of the route. */
export function Shell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const route = useRoute();
  const page = PAGES.map((p) => ({ p, m: route.path.match(p.path) })).find((x) => x.m);
  const allowed = page && (!page.p.rootOnly || cs.isRootAdmin);
  return (
    <div className="shell">
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={href('/')}>
          polystack
        </a>
        <span className="who">
          {session.username} · {session.account}
          {cs.isRootAdmin ? ' (root admin)' : cs.isAdmin ? ' (domain admin)' : ''}
        </span>
        <button type="button" onClick={onLogout}>
          Log out
        </button>
      </header>
      <Nav path={route.path} />
      <main id="main" tabIndex={-1}>
        {allowed ? (
          page.p.render(page.m!, route)
        ) : (
          <p role="alert">{page ? 'This page is for root administrators.' : 'There is no such page.'}</p>
        )}
      </main>
    </div>
  );
}
