import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { S3Client } from '@aws-sdk/client-s3';

/**
 * A fake S3 bucket (S3 cannot run here): an HTTP server speaking S3's REST protocol, path
 * style, for the calls a drain makes (ListObjectsV2, paged; GetObject; DeleteObject), so that
 * a real S3Client, in the test or in the CLI as a child process, talks to it through its
 * endpoint. Objects keep their LastModified to the second, as S3 lists it.
 */
export interface FakeS3Object {
  key: string;
  body: string;
  lastModified: Date;
}

export class FakeS3Bucket {
  readonly objects = new Map<string, FakeS3Object>();
  /** Every call, in order: its action and, for an object, its key. */
  readonly calls: { action: string; key?: string }[] = [];
  endpoint = '';
  /** Refuses the next DeleteObject calls (AccessDenied): a drain interrupted after a replay. */
  refuseDeletes = 0;
  private readonly server = createServer((request, response) => {
    void this.answer(request, response);
  });

  private constructor(
    readonly name: string,
    /** Keys per ListObjectsV2 page (S3's is 1,000): small, so that drains page. */
    private readonly pageSize: number,
  ) {}

  static async start({ name = 'counts-dead-letters', pageSize = 1000 } = {}) {
    const bucket = new FakeS3Bucket(name, pageSize);
    await new Promise<void>((resolve) => bucket.server.listen(0, '127.0.0.1', resolve));
    bucket.endpoint = `http://127.0.0.1:${(bucket.server.address() as AddressInfo).port}`;
    return bucket;
  }

  /** The real S3Client of @aws-sdk/client-s3, pointed at this bucket (destroy it after). */
  client(): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      forcePathStyle: true,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  }

  /** What PutObject (Lambda's on-failure destination) would add. */
  put(key: string, body: string, lastModified = new Date()): void {
    this.objects.set(key, {
      key,
      body,
      lastModified: new Date(Math.floor(lastModified.getTime() / 1000) * 1000),
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse) {
    for await (const _chunk of request); // a request's body is not needed
    const url = new URL(request.url ?? '/', this.endpoint);
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/xml', ...headers });
      response.end(body);
    };
    const fail = (status: number, code: string) =>
      reply(
        status,
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
      );
    if (decodeURIComponent(bucket) !== this.name) fail(404, 'NoSuchBucket');
    else if (request.method === 'GET' && key === '') reply(200, this.list(url.searchParams));
    else if (request.method === 'GET') this.get(key, reply, fail);
    else if (request.method === 'DELETE') this.delete(key, reply, fail);
    else fail(405, 'MethodNotAllowed');
  }

  private delete(
    key: string,
    reply: (status: number, body: string) => void,
    fail: (status: number, code: string) => void,
  ) {
    this.calls.push({ action: 'DeleteObject', key });
    if (this.refuseDeletes > 0) {
      this.refuseDeletes -= 1;
      fail(403, 'AccessDenied');
      return;
    }
    this.objects.delete(key);
    reply(204, '');
  }

  private get(
    key: string,
    reply: (status: number, body: string, headers?: Record<string, string>) => void,
    fail: (status: number, code: string) => void,
  ) {
    this.calls.push({ action: 'GetObject', key });
    const object = this.objects.get(key);
    if (object === undefined) {
      fail(404, 'NoSuchKey');
      return;
    }
    const body = Buffer.from(object.body, 'utf8');
    reply(200, object.body, {
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      'last-modified': object.lastModified.toUTCString(),
    });
  }

  /** ListObjectsV2: keys in UTF-8 order, `pageSize` at a time, the token the next key. */
  private list(query: URLSearchParams): string {
    this.calls.push({ action: 'ListObjectsV2' });
    const prefix = query.get('prefix') ?? '';
    const after = query.get('continuation-token') ?? '';
    const keys = [...this.objects.keys()]
      .filter((key) => key.startsWith(prefix) && key > after)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const page = keys.slice(0, this.pageSize);
    const truncated = keys.length > page.length;
    const contents = page.map((key) => {
      const object = this.objects.get(key) as FakeS3Object;
      return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>"x"</ETag><Size>${Buffer.byteLength(object.body)}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    });
    return (
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Name>${this.name}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
      `<MaxKeys>${this.pageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents.join('')}` +
      (truncated
        ? `<NextContinuationToken>${escapeXml(page.at(-1) ?? '')}</NextContinuationToken>`
        : '') +
      '</ListBucketResult>'
    );
  }
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
