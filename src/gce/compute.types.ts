/**
 * The request bodies the Compute Engine methods take, as Google's own client library types them.
 * Type-only: nothing of googleapis is loaded at run time (it is a devDependency), and only the
 * compute v1 declarations are read, not the whole googleapis index.
 */
import type { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';

/**
 * A parsed JSON request body (router.ts bodyOf: always an object). What a client sent is not
 * checked against the schema before a handler reads it: each handler checks the fields it uses.
 */
export type GceBody = Record<string, unknown>;

export type Instance = compute_v1.Schema$Instance;
export type AttachedDisk = compute_v1.Schema$AttachedDisk;
export type AttachedDiskInitializeParams = compute_v1.Schema$AttachedDiskInitializeParams;
export type NetworkInterface = compute_v1.Schema$NetworkInterface;
export type AccessConfig = compute_v1.Schema$AccessConfig;
export type Metadata = compute_v1.Schema$Metadata;
export type Tags = compute_v1.Schema$Tags;
export type Scheduling = compute_v1.Schema$Scheduling;
export type Disk = compute_v1.Schema$Disk;
export type DisksResizeRequest = compute_v1.Schema$DisksResizeRequest;
export type Snapshot = compute_v1.Schema$Snapshot;
export type Image = compute_v1.Schema$Image;
export type Network = compute_v1.Schema$Network;
export type Firewall = compute_v1.Schema$Firewall;
export type Address = compute_v1.Schema$Address;
export type Route = compute_v1.Schema$Route;
export type Subnetwork = compute_v1.Schema$Subnetwork;
export type InstanceTemplate = compute_v1.Schema$InstanceTemplate;
export type InstanceProperties = compute_v1.Schema$InstanceProperties;
export type SetLabelsRequest = compute_v1.Schema$GlobalSetLabelsRequest;
export type InstancesSetLabelsRequest = compute_v1.Schema$InstancesSetLabelsRequest;
export type InstancesSetMachineTypeRequest = compute_v1.Schema$InstancesSetMachineTypeRequest;
export type InstancesSetServiceAccountRequest = compute_v1.Schema$InstancesSetServiceAccountRequest;
export type InstancesSetMinCpuPlatformRequest = compute_v1.Schema$InstancesSetMinCpuPlatformRequest;
export type ServiceAccount = compute_v1.Schema$ServiceAccount;
