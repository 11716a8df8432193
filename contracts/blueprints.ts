import { Type, type Static } from '@sinclair/typebox';

// Per-blueprint parameter schemas (contracts v0.1). Field names are the contract.

export const Cidr = Type.String({
  pattern:
    '^(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(?:3[0-2]|[12]?\\d)$',
  description: 'IPv4 CIDR block, e.g. 10.42.0.0/16',
});

export const DayOfWeek = Type.Union(
  ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((d) => Type.Literal(d)),
  { description: 'Day of the week' },
);

export const ClockTime = Type.String({ pattern: '^(?:[01]\\d|2[0-3]):[0-5]\\d$', description: '24-hour HH:MM' });

export const ScheduleAt = Type.Object({ day: DayOfWeek, time: ClockTime }, { additionalProperties: false });

export const Schedule = Type.Object(
  {
    stop: ScheduleAt,
    start: ScheduleAt,
    timezone: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*$',
      description: 'IANA time zone',
    }),
  },
  { additionalProperties: false },
);

const StackName = Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$', description: 'workspace name, e.g. ollama-dev' });

export const AwsSpotOllamaParams = Type.Object(
  {
    instanceTypes: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$' }), { minItems: 1, maxItems: 20 }),
    minSize: Type.Integer({ minimum: 0, maximum: 100 }),
    maxSize: Type.Integer({ minimum: 1, maximum: 100 }),
    desiredCapacity: Type.Integer({ minimum: 0, maximum: 100 }),
    onDemandBase: Type.Integer({ minimum: 0, maximum: 100 }),
    vpcCidr: Cidr,
    privateSubnetCidrs: Type.Array(Cidr, { minItems: 1, maxItems: 6 }),
    ollamaPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    allowedCidrs: Type.Array(Cidr, { minItems: 1, maxItems: 20 }),
    model: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._/-]*(?::[a-z0-9._-]+)?$', maxLength: 100 })),
    volumeGb: Type.Integer({ minimum: 8, maximum: 16384 }),
    schedule: Type.Optional(Schedule),
  },
  { additionalProperties: false },
);

export const AsgScheduleParams = Type.Object(
  {
    asgName: Type.String({ pattern: '^[A-Za-z0-9._-]{1,255}$' }),
    schedule: Type.Optional(Schedule),
    remove: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);

export const ProxmoxK3sParams = Type.Object(
  {
    servers: Type.Integer({ minimum: 1, maximum: 9 }),
    workers: Type.Integer({ minimum: 0, maximum: 50 }),
    gpuWorkers: Type.Integer({ minimum: 0, maximum: 50 }),
    vmTemplate: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    node: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    cores: Type.Integer({ minimum: 1, maximum: 128 }),
    memoryMb: Type.Integer({ minimum: 512, maximum: 1048576 }),
    diskGb: Type.Integer({ minimum: 4, maximum: 65536 }),
    network: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'Proxmox bridge, e.g. vmbr0' }),
  },
  { additionalProperties: false },
);

export const DnsRecordParams = Type.Object(
  {
    zone: Type.String({
      pattern:
        '^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$',
    }),
    name: Type.String({
      pattern:
        '^(?=.{1,253}$)(?:\\*|@|[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*$',
    }),
    type: Type.Union([Type.Literal('A'), Type.Literal('AAAA'), Type.Literal('CNAME'), Type.Literal('TXT')]),
    /** Absent only on a removal: then the whole record set of this name and type goes. */
    value: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description: 'absent on a removal by name and type: every record of that name and type is removed',
      }),
    ),
    ttl: Type.Integer({ minimum: 1, maximum: 604800 }),
    action: Type.Union([Type.Literal('add'), Type.Literal('remove')]),
  },
  { additionalProperties: false },
);

export { BLUEPRINTS, TARGETS, type BlueprintName, type TargetName } from './names.js';

export { StackName };
export type AwsSpotOllamaParams = Static<typeof AwsSpotOllamaParams>;
export type AsgScheduleParams = Static<typeof AsgScheduleParams>;
export type ProxmoxK3sParams = Static<typeof ProxmoxK3sParams>;
export type DnsRecordParams = Static<typeof DnsRecordParams>;
export type Schedule = Static<typeof Schedule>;
export type ScheduleAt = Static<typeof ScheduleAt>;
