import type { Ec2Context } from '../context.js';
import { caller, listNet, putNet, vpcKey, type Tag, type VpcRef } from './vpcnet.js';

/** A route a user made (the local route of a VPC's range is implied, never stored). */
export interface RouteBody {
  dest: string;
  gateway?: string;
  nat?: string;
  instance?: string;
  origin: 'CreateRoute' | 'CreateRouteTable';
}
export interface RouteTableBody {
  main: boolean;
  /** The main association's id while the table is its VPC's main one. */
  mainAssoc?: string;
  routes: RouteBody[];
  associations: { id: string; subnet: string }[];
  tags: Tag[];
}
/** An internet gateway; the VPC it is attached to is its row's `vpc`. */
export interface GatewayBody {
  tags: Tag[];
}
export interface NatBody {
  subnet: string;
  allocation?: string;
  publicIp?: string;
  privateIp?: string;
  connectivity: string;
  state: 'available' | 'failed' | 'deleted';
  failure?: { code: string; message: string };
  created: number;
  deleted?: number;
  tags: Tag[];
}
export interface DhcpBody {
  configs: { Key: string; Values: string[] }[];
  tags: Tag[];
}

/**
 * What every VPC has from its start, made once per VPC the first time the caller looks: its main
 * route table and, for a zone's default VPC (AWS's default VPC), an attached internet gateway that
 * the main table routes 0.0.0.0/0 to. A marker row keeps them from coming back once deleted.
 */
export async function ensureVpcDefaults(ctx: Ec2Context, vpcs: VpcRef[]): Promise<void> {
  const me = await caller(ctx);
  for (const v of vpcs) {
    const key = vpcKey(v);
    const marker = `init:${key}`;
    if (await ctx.store.net(marker)) continue;
    const routes: RouteBody[] = [];
    if (v.isDefault) {
      const igw = await ctx.ids.of('internetGateway', `default:${key}`);
      await putNet<GatewayBody>(ctx, 'internetGateway', {
        ec2Id: igw,
        owner: me.owner,
        vpc: v.VpcId,
        body: { tags: [] },
      });
      routes.push({ dest: '0.0.0.0/0', gateway: igw, origin: 'CreateRoute' });
    }
    const main = await ctx.ids.of('routeTable', `main:${key}`);
    const mainAssoc = await ctx.ids.of('routeTableAssociation', `main:${key}`);
    await putNet<RouteTableBody>(ctx, 'routeTable', {
      ec2Id: main,
      owner: v.owner,
      vpc: v.VpcId,
      body: { main: true, mainAssoc, routes, associations: [], tags: [] },
    });
    await ctx.store.putNet({ ec2Id: marker, kind: 'init', owner: v.owner, vpc: v.VpcId, body: '{}' });
  }
}

/** The account's default DHCP option set (AWS gives every account one), made the first time it is needed. */
export async function ensureDefaultDhcp(ctx: Ec2Context): Promise<string> {
  const me = await caller(ctx);
  const id = await ctx.ids.of('dhcpOptions', `default:${me.owner}`);
  const marker = `init:dhcp:${me.owner}`;
  if (await ctx.store.net(marker)) return id;
  const configs = [
    { Key: 'domain-name', Values: [ctx.region === 'us-east-1' ? 'ec2.internal' : `${ctx.region}.compute.internal`] },
    { Key: 'domain-name-servers', Values: ['AmazonProvidedDNS'] },
  ];
  await putNet<DhcpBody>(ctx, 'dhcpOptions', { ec2Id: id, owner: me.owner, vpc: '', body: { configs, tags: [] } });
  await ctx.store.putNet({ ec2Id: marker, kind: 'init', owner: me.owner, vpc: '', body: '{}' });
  return id;
}

/** The DHCP option set of each VPC: the one associated, else the account's default set ('default' once that is deleted). */
export async function dhcpOptionsOf(ctx: Ec2Context, vpcs: VpcRef[]): Promise<Map<string, string>> {
  const fallback = await ensureDefaultDhcp(ctx);
  const exists = !!(await ctx.store.net(fallback));
  const set = await ctx.store.attrs(vpcs.map(vpcKey), 'dhcpOptions');
  return new Map(vpcs.map((v) => [v.VpcId, set.get(vpcKey(v)) ?? (exists ? fallback : 'default')]));
}

/** Front objects that keep a CloudStack VPC from being deleted, as AWS's DependencyViolation names them. */
export async function vpcDependents(ctx: Ec2Context, v: VpcRef): Promise<string[]> {
  const tables = (await listNet<RouteTableBody>(ctx, 'routeTable')).filter((t) => t.vpc === v.VpcId && !t.body.main);
  const igws = (await listNet<GatewayBody>(ctx, 'internetGateway')).filter((g) => g.vpc === v.VpcId);
  const nats = (await listNet<NatBody>(ctx, 'natGateway')).filter(
    (n) => n.vpc === v.VpcId && n.body.state === 'available',
  );
  return [...tables, ...igws, ...nats].map((o) => o.ec2Id);
}

/** After a VPC is deleted: its main route table and marker go with it. */
export async function forgetVpc(ctx: Ec2Context, v: VpcRef): Promise<void> {
  for (const t of (await listNet<RouteTableBody>(ctx, 'routeTable')).filter((x) => x.vpc === v.VpcId))
    await ctx.store.dropNet(t.ec2Id);
  await ctx.store.dropNet(`init:${vpcKey(v)}`);
}
