import { cs } from '../api/cloudstack';
import { PageHeader } from '../components/ui';
import { href } from '../router';
import { CapacityPanel } from './dashboard/CapacityPanel';
import { RecentEvents, RunningJobs, VmStates } from './dashboard/ActivityPanel';
import { ZoneTree } from './dashboard/ZoneTree';

export function Dashboard() {
  return (
    <>
      <PageHeader title="Dashboard">
        <a className="button primary" href={href('/instances/new')}>
          Deploy an instance
        </a>
      </PageHeader>
      <div className="grid two">
        <section className="card" aria-labelledby="dash-vms">
          <h2 id="dash-vms">Instances</h2>
          <VmStates />
        </section>
        <section className="card" aria-labelledby="dash-zones">
          <h2 id="dash-zones">Zones</h2>
          <ZoneTree />
        </section>
      </div>
      {cs.isAdmin && (
        <section aria-labelledby="dash-capacity">
          <h2 id="dash-capacity">Capacity</h2>
          <CapacityPanel />
        </section>
      )}
      <div className="grid two">
        <section className="card" aria-labelledby="dash-events">
          <h2 id="dash-events">Recent events</h2>
          <RecentEvents />
        </section>
        <section className="card" aria-labelledby="dash-jobs">
          <h2 id="dash-jobs">Running jobs</h2>
          <RunningJobs />
        </section>
      </div>
    </>
  );
}
