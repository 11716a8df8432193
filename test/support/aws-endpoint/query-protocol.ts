import { randomUUID } from 'node:crypto';

// Wire shapes of the AWS protocols the endpoint speaks: awsQuery (STS, IAM, Auto Scaling:
// `X.member.N` lists, `<XResult>` wrapper), ec2Query (`Name.N` lists, `<item>`, requestId in
// the body) and JSON 1.1 (CloudWatch Logs). Errors use each protocol's own envelope.

export type Params = Record<string, string>;
export type XmlValue =
  string | number | boolean | null | undefined | XmlValue[] | XmlList | { [key: string]: XmlValue };

/** A list whose items the wire names otherwise than `item`/`member` (EC2's `groupSet/groupId`). */
export class XmlList {
  constructor(
    readonly itemTag: string,
    readonly items: XmlValue[],
  ) {}
}

/** An error AWS would answer with: its code, message and HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const newRequestId = (): string => randomUUID();

export function decodeForm(body: string): Params {
  return Object.fromEntries(new URLSearchParams(body));
}

/** `Prefix.N` values in N order; pass `X.member` for awsQuery lists. */
export function listParam(p: Params, prefix: string): string[] {
  return structList(p, prefix).flatMap((s) => (s[''] === undefined ? [] : [s['']]));
}

/**
 * `Prefix.N.Field…` as one Params per N (fields relative to `Prefix.N.`, the value of
 * `Prefix.N` itself under ''), in N order.
 */
export function structList(p: Params, prefix: string): Params[] {
  const byIndex = new Map<number, Params>();
  const head = `${prefix}.`;
  for (const [key, value] of Object.entries(p)) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const m = /^(\d+)(?:\.(.*))?$/.exec(rest);
    if (!m) continue;
    const n = Number(m[1]);
    let entry = byIndex.get(n);
    if (!entry) byIndex.set(n, (entry = {}));
    entry[m[2] ?? ''] = value;
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Fields under `Prefix.` (a nested structure), relative to it. */
export function subParams(p: Params, prefix: string): Params {
  const head = `${prefix}.`;
  return Object.fromEntries(
    Object.entries(p).flatMap(([k, v]) => (k.startsWith(head) ? [[k.slice(head.length), v]] : [])),
  );
}

export function intParam(p: Params, name: string): number | undefined {
  const raw = p[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw))
    throw new AwsError(
      'ValidationError',
      `Value '${raw}' at '${name}' failed to satisfy constraint: Member must be an integer`,
    );
  return Number(raw);
}

export function boolParam(p: Params, name: string): boolean | undefined {
  const raw = p[name];
  return raw === undefined ? undefined : raw === 'true';
}

export function required(p: Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === '')
    throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
  return v;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Object fields as elements in order; arrays as `<name><item>…</item></name>`. */
export function toXml(value: XmlValue, itemTag: string): string {
  if (value === null || value === undefined) return '';
  if (value instanceof XmlList)
    return value.items.map((v) => `<${value.itemTag}>${toXml(v, itemTag)}</${value.itemTag}>`).join('');
  if (Array.isArray(value)) return value.map((v) => `<${itemTag}>${toXml(v, itemTag)}</${itemTag}>`).join('');
  if (typeof value === 'object')
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v, itemTag)}</${k}>`)
      .join('');
  return escapeXml(String(value));
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function ec2Body(action: string, ns: string, requestId: string, result: Record<string, XmlValue>): string {
  return `${XML_HEAD}<${action}Response xmlns="${ns}"><requestId>${requestId}</requestId>${toXml(result, 'item')}</${action}Response>`;
}

export function queryBody(action: string, ns: string, requestId: string, result: Record<string, XmlValue>): string {
  const inner = toXml(result, 'member');
  return `${XML_HEAD}<${action}Response xmlns="${ns}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function ec2ErrorBody(err: AwsError, requestId: string): string {
  return `${XML_HEAD}<Response><Errors><Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

export function queryErrorBody(err: AwsError, ns: string, requestId: string): string {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  return `${XML_HEAD}<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

export function jsonErrorBody(err: AwsError): string {
  return JSON.stringify({ __type: err.code, message: err.message });
}

/** Service and region from a SigV4 `Authorization` header's credential scope. */
export function credentialScope(authorization: string | undefined): { region: string; service: string } | undefined {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? { region: m[1]!, service: m[2]! } : undefined;
}

export const invalidAction = (action: string): AwsError =>
  new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
