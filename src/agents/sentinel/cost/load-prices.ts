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
  /** Hourly fee for `ebs_optimized` on types where it is optional and charged (absent: none). */
  ebsOptimizedHour?: Record<string, number>;
  /** Linux on-demand with `tenancy = "dedicated"`. */
  dedicatedEc2?: Record<string, number>;
  /** On-demand dedicated host by instance family. */
  ec2HostHour?: Record<string, number>;
  /** CloudWatch detailed monitoring per instance-month. */
  detailedMonitoringMonth?: number;
  /** Surplus CPU credits of burstable types in unlimited mode. */
  cpuCreditVcpuHour?: number;
  loadBalancer?: Record<string, { hour: number; lcuHour: number }>;
  cloudwatchLogs?: { ingestedGb: number; storageGbMonth: number; scannedGb: number };
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
