import type { ActionContext, ActionHandler, ServiceDefinition } from './action-context.js';
import type { EndpointState } from './endpoint-state.js';
import { AwsError } from './query-protocol.js';

// CloudWatch Logs speaks JSON 1.1: `X-Amz-Target: Logs_20140328.CreateLogGroup`, a JSON body.

interface LogGroup {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Map<string, string>;
}

const str = (ctx: ActionContext, name: string): string | undefined => {
  const v = ctx.json[name];
  return typeof v === 'string' ? v : undefined;
};

const groupNotFound = () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');

const groupArn = (state: EndpointState, region: string, name: string) =>
  `arn:aws:logs:${region}:${state.accountId}:log-group:${name}`;

function needGroup(ctx: ActionContext, name: string | undefined): LogGroup {
  const g = ctx.state.get<LogGroup>('log-group', name);
  if (!g) throw groupNotFound();
  return g;
}

/** `arn:…:log-group:NAME` (with or without `:*`) to the group. */
function groupByArn(ctx: ActionContext): LogGroup {
  const arn = str(ctx, 'resourceArn') ?? '';
  return needGroup(ctx, arn.split(':log-group:')[1]?.replace(/:\*$/, ''));
}

function setTags(g: LogGroup, tags: unknown): void {
  if (tags && typeof tags === 'object') for (const [k, v] of Object.entries(tags)) g.tags.set(k, String(v));
}

const ACTIONS: Record<string, ActionHandler> = {
  CreateLogGroup: (ctx) => {
    const name = str(ctx, 'logGroupName') ?? '';
    if (ctx.state.get('log-group', name))
      throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    const kmsKeyId = str(ctx, 'kmsKeyId');
    const g = ctx.state.put<LogGroup>('log-group', name, {
      logGroupName: name,
      creationTime: Date.now(),
      ...(kmsKeyId ? { kmsKeyId } : {}),
      logGroupClass: str(ctx, 'logGroupClass') ?? 'STANDARD',
      tags: new Map(),
    });
    setTags(g, ctx.json.tags);
    return {};
  },
  PutRetentionPolicy: (ctx) => {
    const days = ctx.json.retentionInDays;
    needGroup(ctx, str(ctx, 'logGroupName')).retentionInDays = typeof days === 'number' ? days : Number(days);
    return {};
  },
  DeleteRetentionPolicy: (ctx) => {
    delete needGroup(ctx, str(ctx, 'logGroupName')).retentionInDays;
    return {};
  },
  DescribeLogGroups: (ctx) => {
    const prefix = str(ctx, 'logGroupNamePrefix') ?? '';
    const names = Array.isArray(ctx.json.logGroupIdentifiers) ? ctx.json.logGroupIdentifiers.map(String) : undefined;
    const groups = ctx.state
      .list<LogGroup>('log-group')
      .filter((g) => g.logGroupName.startsWith(prefix) && (!names || names.includes(g.logGroupName)))
      .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName));
    return {
      logGroups: groups.map((g) => ({
        logGroupName: g.logGroupName,
        creationTime: g.creationTime,
        retentionInDays: g.retentionInDays,
        kmsKeyId: g.kmsKeyId,
        metricFilterCount: 0,
        storedBytes: 0,
        logGroupClass: g.logGroupClass,
        arn: `${groupArn(ctx.state, ctx.region, g.logGroupName)}:*`,
        logGroupArn: groupArn(ctx.state, ctx.region, g.logGroupName),
      })),
    };
  },
  DeleteLogGroup: (ctx) => {
    const g = needGroup(ctx, str(ctx, 'logGroupName'));
    ctx.state.remove('log-group', g.logGroupName);
    return {};
  },
  ListTagsForResource: (ctx) => ({ tags: Object.fromEntries(groupByArn(ctx).tags) }),
  TagResource: (ctx) => {
    setTags(groupByArn(ctx), ctx.json.tags);
    return {};
  },
  UntagResource: (ctx) => {
    const g = groupByArn(ctx);
    for (const k of Array.isArray(ctx.json.tagKeys) ? ctx.json.tagKeys : []) g.tags.delete(String(k));
    return {};
  },
  ListTagsLogGroup: (ctx) => ({ tags: Object.fromEntries(needGroup(ctx, str(ctx, 'logGroupName')).tags) }),
};

export const LOGS_SERVICE: ServiceDefinition = {
  name: 'logs',
  protocol: 'json',
  namespace: 'Logs_20140328',
  actions: ACTIONS,
};
