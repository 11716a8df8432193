import type { ActionHandler } from './action-context.js';

const ZONE_LETTERS = ['a', 'b', 'c'];

/** Zone ids look like `euw1-az1`: a short region code and a number. */
function zoneIdPrefix(region: string): string {
  const [geo = 'us', dir = 'east', num = '1'] = region.split('-');
  return `${geo}${dir[0] ?? 'e'}${num}`;
}

export function zonesOf(region: string): { name: string; id: string }[] {
  return ZONE_LETTERS.map((l, i) => ({ name: `${region}${l}`, id: `${zoneIdPrefix(region)}-az${i + 1}` }));
}

export const ZONE_ACTIONS: Record<string, ActionHandler> = {
  DescribeAvailabilityZones: ({ region }) => ({
    availabilityZoneInfo: zonesOf(region).map((z) => ({
      zoneName: z.name,
      zoneId: z.id,
      zoneState: 'available',
      regionName: region,
      zoneType: 'availability-zone',
      optInStatus: 'opt-in-not-required',
      groupName: region,
      networkBorderGroup: region,
      messageSet: [],
    })),
  }),
};
