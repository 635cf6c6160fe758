/** One polystack process serving a cloud, as CloudStack's mshost row: several may share one database. */
export interface ManagementServer {
  id: string;
  /** This run of the node; jobs it claims carry it as their owner. */
  runId: string;
  name: string;
  serviceIp: string;
  servicePort: number;
  version: string;
  state: 'Up' | 'Down';
  runtime: string;
  runtimeVersion: string;
  osDistribution: string;
  kernelVersion: string;
  lastServerStart: number;
  lastServerStop: number | null;
  lastBootTime: number;
  /** Wall-clock ms of its last heartbeat (not the cloud's virtual clock: liveness is real time). */
  lastHeartbeat: number;
}
