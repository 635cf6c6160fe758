import { cs, csList, type Ec2Context } from '../context.js';
import { applyFilters } from '../filters.js';
import { actions } from './types.js';

async function zones(ctx: Ec2Context) {
  const list = await csList(ctx, 'listZones', 'zone');
  return Promise.all(
    list.map(async (z) => ({
      ZoneName: z.name as string,
      ZoneId: await ctx.ids.of('subnet', `zone:${z.id}`).then((id) => id.replace('subnet-', 'use1-az')),
      csZoneId: z.id as string,
      State: z.allocationstate === 'Enabled' ? 'available' : 'unavailable',
      RegionName: ctx.region,
      GroupName: ctx.region,
      ZoneType: 'availability-zone',
      OptInStatus: 'opt-in-not-required',
      NetworkBorderGroup: ctx.region,
      Messages: [] as unknown[],
      /** Whether CloudStack has security groups in the zone (basic zones, advanced zones with them): not shown to EC2 clients. */
      securityGroups: !!z.securitygroupsenabled,
    })),
  );
}

export const geoActions = actions({
  async DescribeRegions(ctx, input) {
    const regions = [{ RegionName: ctx.region, Endpoint: 'ec2.polystack.local', OptInStatus: 'opt-in-not-required' }];
    return {
      Regions: applyFilters(regions, input.Filters, {
        'region-name': (r) => [r.RegionName],
        endpoint: (r) => [r.Endpoint],
      }).filter((r) => !input.RegionNames || input.RegionNames.includes(r.RegionName)),
    };
  },
  async DescribeAvailabilityZones(ctx, input) {
    let all = await zones(ctx);
    const zoneNames = input.ZoneNames;
    if (zoneNames) all = all.filter((z) => zoneNames.includes(z.ZoneName));
    all = applyFilters(all, input.Filters, {
      'zone-name': (z) => [z.ZoneName],
      'zone-id': (z) => [z.ZoneId],
      'region-name': (z) => [z.RegionName],
      state: (z) => [z.State],
      'zone-type': (z) => [z.ZoneType],
    });
    return { AvailabilityZones: all.map(({ csZoneId: _c, securityGroups: _s, ...z }) => z) };
  },
  async DescribeAccountAttributes(ctx) {
    const user = await cs(ctx, 'listAccounts');
    void user;
    const attr = (AttributeName: string, ...values: string[]) => ({
      AttributeName,
      AttributeValues: values.map((AttributeValue) => ({ AttributeValue })),
    });
    return {
      AccountAttributes: [
        attr('supported-platforms', 'VPC'),
        attr('default-vpc', 'none'),
        attr('max-instances', '20'),
        attr('vpc-max-security-groups-per-interface', '5'),
        attr('max-elastic-ips', '5'),
        attr('vpc-max-elastic-ips', '5'),
      ],
    };
  },
});

export { zones };
