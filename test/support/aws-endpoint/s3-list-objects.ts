import { AwsError } from './query-protocol.js';
import { escapeXml, type S3Response, s3Xml } from './s3-protocol.js';
import type { S3Bucket } from './s3-store.js';

// ListObjectsV2: keys in UTF-8 byte order under `prefix`, rolled up at `delimiter` into
// CommonPrefixes, `max-keys` per page with an opaque continuation token (the last key returned).

export function listObjectsV2(bucket: S3Bucket, q: URLSearchParams): S3Response {
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = Number(q.get('max-keys') ?? 1000);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw new AwsError('InvalidArgument', 'Provided max-keys not an integer or within integer range');
  const token = q.get('continuation-token');
  const after = token ? Buffer.from(token, 'base64').toString() : (q.get('start-after') ?? '');
  const url = q.get('encoding-type') === 'url';
  const enc = (s: string) => escapeXml(url ? encodeURIComponent(s).replace(/%2F/g, '/') : s);

  // A page that ended on a common prefix resumes after every key under it.
  const skipped = token && delimiter && after.endsWith(delimiter) ? after : undefined;
  const keys = [...bucket.objects.keys()]
    .filter((k) => k.startsWith(prefix) && k > after && !(skipped && k.startsWith(skipped)))
    .sort(byBytes);
  const contents: string[] = [];
  const prefixes = new Set<string>();
  let last = '';
  let truncated = false;
  for (const key of keys) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    if (common !== undefined && prefixes.has(common)) continue;
    if (contents.length + prefixes.size >= maxKeys) {
      truncated = true;
      break;
    }
    last = common ?? key;
    if (common !== undefined) prefixes.add(common);
    else {
      const o = bucket.objects.get(key)!;
      contents.push(
        `<Contents><Key>${enc(key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      );
    }
  }
  const inner = [
    `<Name>${escapeXml(bucket.name)}</Name><Prefix>${enc(prefix)}</Prefix>`,
    delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : '',
    `<MaxKeys>${maxKeys}</MaxKeys><KeyCount>${contents.length + prefixes.size}</KeyCount>`,
    `<IsTruncated>${truncated}</IsTruncated>`,
    url ? '<EncodingType>url</EncodingType>' : '',
    token ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : '',
    truncated ? `<NextContinuationToken>${Buffer.from(last).toString('base64')}</NextContinuationToken>` : '',
    ...contents,
    ...[...prefixes].map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`),
  ].join('');
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: s3Xml('ListBucketResult', inner) };
}

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
