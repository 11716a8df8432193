import data from '../prices/aws-prices.json' with { type: 'json' };

export interface EbsPrice {
  gbMonth: number;
  iopsMonth?: number;
  throughputMbpsMonth?: number;
}

export interface RegionPrices {
  ec2: Record<string, number>;
  ebs: Record<string, EbsPrice>;
  natGateway: { hour: number; gb: number };
  publicIpv4Hour: number;
  route53ZoneMonth: number;
}

export interface PriceBook {
  asOf: string;
  hoursPerMonth: number;
  sources: string[];
  spot: { defaultDiscount: number };
  regions: Record<string, RegionPrices>;
}

/** The dated price file shipped with Sentinel (see its `sources`). */
export const PRICE_BOOK: PriceBook = data as PriceBook;
