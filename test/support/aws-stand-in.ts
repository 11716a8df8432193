import { Cron } from 'croner';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local stand-in for the two AWS Query APIs FinPilot calls, faithful to their wire:
// Auto Scaling speaks awsQuery (Version 2011-01-01, `X.member.N` lists, `<XResult>` wrapper),
// EC2 speaks ec2Query (Version 2016-11-15, `Name.N` lists, `<item>`, requestId in the body).

export interface StandInAsg {
  name: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
}
export interface StandInAction {
  name: string;
  recurrence?: string;
  timeZone?: string;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
  startTime?: string;
  endTime?: string;
}
export interface StandInSpotPrice {
  instanceType: string;
  availabilityZone: string;
  spotPrice: string;
  timestamp: string;
  productDescription?: string;
}

export interface AwsStandIn {
  url: string;
  /** Every call received: action name and its decoded form fields. */
  calls: { action: string; params: Record<string, string> }[];
  addAsg(asg: StandInAsg): void;
  asg(name: string): StandInAsg | undefined;
  actions(asgName: string): StandInAction[];
  setAction(asgName: string, action: StandInAction): void;
  /** The next `n` requests (to `service`, or any) answer with AWS's throttling error. */
  throttleNext(n: number, service?: 'autoscaling' | 'ec2'): void;
  spotPrices: StandInSpotPrice[];
  /** Most items in one page whatever the caller asks for (AWS may return fewer). */
  pageSize: number;
  stop(): Promise<void>;
}

const AS_NS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const QUOTA = 125;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tag = (name: string, v: string | number | undefined) =>
  v === undefined ? '' : `<${name}>${esc(String(v))}</${name}>`;

class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** `Prefix.member.N` (awsQuery) or `Prefix.N` (ec2Query) values, in N order. */
function listOf(p: Record<string, string>, prefix: string): string[] {
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`);
  return Object.entries(p)
    .flatMap(([k, v]) => {
      const m = re.exec(k);
      return m ? [[Number(m[1]), v] as const] : [];
    })
    .sort((a, b) => a[0] - b[0])
    .map(([, v]) => v);
}

function intParam(p: Record<string, string>, name: string): number | undefined {
  const raw = p[name];
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw))
    throw new QueryError(
      'ValidationError',
      `Value '${raw}' at '${name}' failed to satisfy constraint: Member must be an integer`,
    );
  return Number(raw);
}

function page<T>(
  items: T[],
  p: Record<string, string>,
  sizeName: string,
  max: number,
  cap: number,
): { items: T[]; next?: string } {
  const size = Math.min(intParam(p, sizeName) ?? 50, max, cap);
  let start = 0;
  const token = p.NextToken;
  if (token) {
    const m = /^tok-(\d+)$/.exec(Buffer.from(token, 'base64').toString());
    if (!m) throw new QueryError('InvalidNextToken', 'The token provided is not valid.');
    start = Number(m[1]);
  }
  const next = start + size < items.length ? Buffer.from(`tok-${start + size}`).toString('base64') : undefined;
  return { items: items.slice(start, start + size), ...(next ? { next } : {}) };
}

export async function startAwsStandIn(): Promise<AwsStandIn> {
  const asgs = new Map<string, StandInAsg>();
  const actions = new Map<string, Map<string, StandInAction>>();
  const throttles: { n: number; service?: string }[] = [];
  const calls: AwsStandIn['calls'] = [];
  const self = { pageSize: 100, spotPrices: [] as StandInSpotPrice[] };

  const groupActions = (name: string) => {
    let m = actions.get(name);
    if (!m) actions.set(name, (m = new Map()));
    return m;
  };
  const needGroup = (name: string | undefined) => {
    const g = name ? asgs.get(name) : undefined;
    if (!g)
      throw new QueryError(
        'ValidationError',
        `AutoScalingGroup name not found - AutoScalingGroup ${name ?? ''} not found`,
      );
    return g;
  };

  function actionXml(asg: string, a: StandInAction): string {
    // AWS reports a recurring action's next run as its StartTime/Time.
    const next = a.recurrence
      ? new Cron(a.recurrence, { timezone: a.timeZone ?? 'UTC' }).nextRun()?.toISOString()
      : a.startTime;
    return `<member>${tag('AutoScalingGroupName', asg)}${tag('ScheduledActionName', a.name)}${tag('ScheduledActionARN', `arn:aws:autoscaling:us-east-1:123456789012:scheduledUpdateGroupAction:${randomUUID()}:autoScalingGroupName/${asg}:scheduledActionName/${a.name}`)}${tag('Time', next)}${tag('StartTime', next)}${tag('EndTime', a.endTime)}${tag('Recurrence', a.recurrence)}${tag('MinSize', a.minSize)}${tag('MaxSize', a.maxSize)}${tag('DesiredCapacity', a.desiredCapacity)}${tag('TimeZone', a.timeZone)}</member>`;
  }

  function autoScaling(action: string, p: Record<string, string>): string {
    switch (action) {
      case 'DescribeAutoScalingGroups': {
        const names = listOf(p, 'AutoScalingGroupNames.member');
        const all = [...asgs.values()].filter((g) => names.length === 0 || names.includes(g.name));
        const { items, next } = page(all, p, 'MaxRecords', 100, self.pageSize);
        const members = items
          .map(
            (g) =>
              `<member>${tag('AutoScalingGroupName', g.name)}${tag('AutoScalingGroupARN', `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${g.name}`)}${tag('MinSize', g.minSize)}${tag('MaxSize', g.maxSize)}${tag('DesiredCapacity', g.desiredCapacity)}${tag('DefaultCooldown', 300)}<AvailabilityZones><member>us-east-1a</member></AvailabilityZones>${tag('HealthCheckType', 'EC2')}${tag('CreatedTime', '2026-01-05T10:00:00.000Z')}<Instances/></member>`,
          )
          .join('');
        return `<AutoScalingGroups>${members}</AutoScalingGroups>${tag('NextToken', next)}`;
      }
      case 'DescribeScheduledActions': {
        const asg = p.AutoScalingGroupName;
        const names = listOf(p, 'ScheduledActionNames.member');
        const all = [...(asg ? [asg] : [...asgs.keys()])]
          .flatMap((g) => [...groupActions(g).values()].map((a) => ({ g, a })))
          .filter(({ a }) => names.length === 0 || names.includes(a.name))
          .sort((x, y) => x.a.name.localeCompare(y.a.name));
        const { items, next } = page(all, p, 'MaxRecords', 100, self.pageSize);
        return `<ScheduledUpdateGroupActions>${items.map(({ g, a }) => actionXml(g, a)).join('')}</ScheduledUpdateGroupActions>${tag('NextToken', next)}`;
      }
      case 'PutScheduledUpdateGroupAction': {
        const g = needGroup(p.AutoScalingGroupName);
        const name = p.ScheduledActionName;
        if (!name)
          throw new QueryError(
            'ValidationError',
            "1 validation error detected: Value null at 'scheduledActionName' failed to satisfy constraint: Member must not be null",
          );
        const a: StandInAction = { name };
        if (p.Recurrence !== undefined) {
          if (p.Recurrence.trim().split(/\s+/).length !== 5)
            throw new QueryError('ValidationError', `Given recurrence string: ${p.Recurrence} is invalid.`);
          a.recurrence = p.Recurrence;
        }
        if (p.TimeZone !== undefined) {
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: p.TimeZone });
          } catch {
            throw new QueryError('ValidationError', `Invalid time zone: ${p.TimeZone}`);
          }
          a.timeZone = p.TimeZone;
        }
        for (const [k, f] of [
          ['MinSize', 'minSize'],
          ['MaxSize', 'maxSize'],
          ['DesiredCapacity', 'desiredCapacity'],
        ] as const) {
          const v = intParam(p, k);
          if (v !== undefined) a[f] = v;
        }
        if (a.minSize !== undefined && a.maxSize !== undefined && a.minSize > a.maxSize)
          throw new QueryError('ValidationError', 'The scheduled action has a min size greater than its max size.');
        if (a.desiredCapacity !== undefined && a.maxSize !== undefined && a.desiredCapacity > a.maxSize)
          throw new QueryError(
            'ValidationError',
            'Desired capacity:' +
              a.desiredCapacity +
              ' must be between the specified min size:' +
              (a.minSize ?? '') +
              ' and max size:' +
              a.maxSize,
          );
        if (p.StartTime) a.startTime = p.StartTime;
        if (p.EndTime) a.endTime = p.EndTime;
        const m = groupActions(g.name);
        if (!m.has(name) && m.size >= QUOTA)
          throw new QueryError(
            'LimitExceeded',
            `Maximum number of scheduled actions per Auto Scaling group (${QUOTA}) reached.`,
          );
        m.set(name, a);
        return '';
      }
      case 'DeleteScheduledAction': {
        const g = needGroup(p.AutoScalingGroupName);
        if (!p.ScheduledActionName || !groupActions(g.name).delete(p.ScheduledActionName))
          throw new QueryError('ValidationError', 'Scheduled action name not found');
        return '';
      }
      default:
        throw new QueryError('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  function spotHistory(p: Record<string, string>): { body: string; next?: string } {
    const types = listOf(p, 'InstanceType');
    const products = listOf(p, 'ProductDescription');
    const rows = self.spotPrices.filter(
      (r) =>
        (types.length === 0 || types.includes(r.instanceType)) &&
        (products.length === 0 || products.includes(r.productDescription ?? 'Linux/UNIX')),
    );
    const { items, next } = page(rows, p, 'MaxResults', 1000, self.pageSize);
    const body = items
      .map(
        (r) =>
          `<item>${tag('instanceType', r.instanceType)}${tag('productDescription', r.productDescription ?? 'Linux/UNIX')}${tag('spotPrice', r.spotPrice)}${tag('timestamp', r.timestamp)}${tag('availabilityZone', r.availabilityZone)}</item>`,
      )
      .join('');
    return { body, ...(next ? { next } : {}) };
  }

  function reply(res: ServerResponse, status: number, requestId: string, xml: string): void {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const p = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
    const requestId = randomUUID();
    const ec2 = p.Version === '2016-11-15';
    const action = p.Action ?? '';
    calls.push({ action, params: p });
    const fail = (e: QueryError) =>
      ec2
        ? reply(
            res,
            e.status,
            requestId,
            `<Response><Errors><Error>${tag('Code', e.code)}${tag('Message', e.message)}</Error></Errors>${tag('RequestID', requestId)}</Response>`,
          )
        : reply(
            res,
            e.status,
            requestId,
            `<ErrorResponse xmlns="${AS_NS}"><Error>${tag('Type', e.type)}${tag('Code', e.code)}${tag('Message', e.message)}</Error>${tag('RequestId', requestId)}</ErrorResponse>`,
          );
    try {
      if (req.method !== 'POST') throw new QueryError('InvalidAction', 'Only POST is supported here');
      if (!/^AWS4-HMAC-SHA256 Credential=\S+/.test(req.headers.authorization ?? ''))
        throw new QueryError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      const t = throttles[0];
      if (t && (!t.service || t.service === (ec2 ? 'ec2' : 'autoscaling'))) {
        if (--t.n <= 0) throttles.shift();
        throw ec2
          ? new QueryError('RequestLimitExceeded', 'Request limit exceeded.', 503, 'Receiver')
          : new QueryError('Throttling', 'Rate exceeded');
      }
      if (ec2) {
        if (action !== 'DescribeSpotPriceHistory')
          throw new QueryError('InvalidAction', `The action ${action} is not valid for this web service.`);
        const { body, next } = spotHistory(p);
        return reply(
          res,
          200,
          requestId,
          `<DescribeSpotPriceHistoryResponse xmlns="${EC2_NS}">${tag('requestId', requestId)}<spotPriceHistorySet>${body}</spotPriceHistorySet><nextToken>${next ?? ''}</nextToken></DescribeSpotPriceHistoryResponse>`,
        );
      }
      if (p.Version !== '2011-01-01')
        throw new QueryError('InvalidAction', `Version ${p.Version ?? ''} is not supported`);
      const result = autoScaling(action, p);
      reply(
        res,
        200,
        requestId,
        `<${action}Response xmlns="${AS_NS}">${result ? `<${action}Result>${result}</${action}Result>` : ''}<ResponseMetadata>${tag('RequestId', requestId)}</ResponseMetadata></${action}Response>`,
      );
    } catch (err) {
      fail(err instanceof QueryError ? err : new QueryError('InternalFailure', String(err), 500, 'Receiver'));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(self, {
    url: `http://127.0.0.1:${port}`,
    calls,
    addAsg: (g: StandInAsg) => void asgs.set(g.name, { ...g }),
    asg: (name: string) => asgs.get(name),
    actions: (name: string) => [...groupActions(name).values()].sort((a, b) => a.name.localeCompare(b.name)),
    setAction: (name: string, a: StandInAction) => void groupActions(name).set(a.name, { ...a }),
    throttleNext: (n: number, service?: 'autoscaling' | 'ec2') =>
      void throttles.push({ n, ...(service ? { service } : {}) }),
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}
