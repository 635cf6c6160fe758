import { diskRoutes } from './resources/disks.js';
import { diskWriteRoutes } from './resources/disks.write.js';
import { diskTypeRoutes } from './resources/disktypes.js';
import { firewallRoutes } from './resources/firewalls.js';
import { geoRoutes } from './resources/geo.js';
import { imageRoutes } from './resources/images.js';
import { imageWriteRoutes } from './resources/images.write.js';
import { instanceRoutes } from './resources/instances.js';
import { instanceMoreRoutes } from './resources/instances.more.js';
import { instanceTemplateRoutes } from './resources/instancetemplates.js';
import { snapshotRoutes } from './resources/snapshots.js';
import { machineTypeRoutes } from './resources/machinetypes.js';
import { networkRoutes } from './resources/networks.js';
import { addressRoutes } from './resources/addresses.routes.js';
import { firewallWriteRoutes } from './resources/firewalls.write.js';
import { networkWriteRoutes } from './resources/networks.write.js';
import { routeRoutes } from './resources/routes-resource.js';
import { subnetworkRoutes } from './resources/subnetworks.js';
import { operationRoutes } from './resources/operations.js';
import { projectRoutes } from './resources/projects.js';
import type { Route } from './route.js';

/** Every method the GCE front serves: the HTTP routes and the discovery document both come from here. */
export const ROUTES: readonly Route[] = [
  ...projectRoutes,
  ...geoRoutes,
  ...machineTypeRoutes,
  ...imageRoutes,
  ...imageWriteRoutes,
  ...diskRoutes,
  ...diskWriteRoutes,
  ...diskTypeRoutes,
  ...networkRoutes,
  ...firewallRoutes,
  ...networkWriteRoutes,
  ...subnetworkRoutes,
  ...addressRoutes,
  ...routeRoutes,
  ...firewallWriteRoutes,
  ...instanceRoutes,
  ...instanceMoreRoutes,
  ...instanceTemplateRoutes,
  ...snapshotRoutes,
  ...operationRoutes,
];
