import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './query-protocol.js';

// S3's REST XML wire: errors as a bare `<Error>` (none on HEAD, where only the status speaks),
// ETags as the quoted MD5 of the body, and request bodies that may arrive `aws-chunked`.

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface S3Response {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function s3ErrorBody(err: AwsError, requestId: string, resource?: string): string {
  const extra = resource ? `<Resource>${escapeXml(resource)}</Resource>` : '';
  return `${XML_HEAD}<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
}

export function s3Xml(root: string, inner: string): string {
  return `${XML_HEAD}<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;
}

export const etagOf = (body: Buffer): string => `"${createHash('md5').update(body).digest('hex')}"`;

export const noSuchBucket = (bucket: string): AwsError =>
  new AwsError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, 404);
export const noSuchKey = (): AwsError => new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
export const preconditionFailed = (): AwsError =>
  new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);
export const notImplemented = (what: string): AwsError =>
  new AwsError(
    'NotImplemented',
    `A header or query you provided implies functionality that is not implemented: ${what}`,
    501,
  );

/**
 * The payload of a PUT: as sent, or decoded from `aws-chunked` (`<hex size>[;chunk-signature=…]\r\n
 * <data>\r\n` … a zero-size chunk, then trailing checksums, which are accepted and ignored).
 */
export function decodePayload(raw: Buffer, headers: IncomingHttpHeaders): Buffer {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return raw;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new AwsError('IncompleteBody', 'The aws-chunked body ended before its last chunk');
    const size = parseInt(raw.subarray(at, lineEnd).toString().split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) throw new AwsError('InvalidChunkSizeError', 'Invalid aws-chunked chunk size');
    if (size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  const body = Buffer.concat(parts);
  const declared = headers['x-amz-decoded-content-length'];
  if (declared !== undefined && Number(declared) !== body.length)
    throw new AwsError('IncompleteBody', `Decoded ${body.length} bytes, x-amz-decoded-content-length says ${declared}`);
  return body;
}
