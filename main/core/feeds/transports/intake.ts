import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeedRecord } from '../../../../common/domain/feedRecord';
import { guardRequest, requestUrl } from '../../net/guard';
import { MediaRefused, stripMedia, type Stripped } from '../../media/strip';
import { StreamFeed } from './stream';

/**
 * Reports from the public (issue 22): an Open311 GeoReport v2 `POST requests.json` endpoint that a
 * city's app sends its citizens' reports to (docs/citizen-reports.md). Each client app has its own
 * API key (only its SHA-256 is in the config), its own rate limit, and size limits. A report is
 * read by the feed's own Open311 adapter, so it meets the same validation, privacy policy and
 * quarantine as a polled one; the requester's name, e-mail, phone, device id and free text are
 * never read. An uploaded photo or video (multipart part `media`) is cleaned of its metadata
 * before anything is stored (main/core/media/strip.ts); one that cannot be cleaned refuses the
 * report, quarantined with the reason and without the file.
 */
export class IntakeFeed extends StreamFeed {
  readonly transport = 'intake';
  protected readonly reconnects = false;
  private server: http.Server | null = null;
  /** The port actually bound (differs from the config when it asks for port 0, as tests do). */
  port: number | null = null;
  private readonly recent = new Map<string, number[]>();

  protected override expectedWindowMs(): number {
    // The public reports when something happens: a quiet day is not a late feed.
    return (this.config.staleAfterSeconds ?? 7 * 86_400) * 1000;
  }

  protected open(): void {
    const { host, port } = this.config.listen!;
    const server = http.createServer(guardRequest('intake', (req, res) => this.handle(req, res)));
    server.maxConnections = 256;
    server.requestTimeout = 60_000;
    server.on('error', (error) => {
      this.port = null;
      this.failed(`cannot listen on http ${host}:${port}: ${error.message}`);
    });
    server.listen(port, host, () => {
      this.port = (server.address() as AddressInfo).port;
      this.alive();
    });
    this.server = server;
  }

  protected async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private get limits() {
    const intake = this.config.intake!;
    return { perMinute: intake.perMinute, maxBodyBytes: intake.maxBodyBytes, maxMediaBytes: intake.maxMediaBytes };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
    };
    const error = (status: number, description: string, headers: Record<string, string> = {}): void => answer(status, [{ code: status, description }], headers);
    const url = requestUrl(req);
    if (!/\/requests\.json$/.test(url.pathname)) return error(404, 'POST reports to /requests.json (Open311 GeoReport v2)');
    if (req.method !== 'POST') return error(405, 'only POST is accepted here: this endpoint takes reports, it lists none');
    const { maxBodyBytes, maxMediaBytes, perMinute } = this.limits;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBodyBytes) {
      req.resume();
      return error(413, `the request is ${declared} bytes, over the limit of ${maxBodyBytes}; send a smaller photo`, { connection: 'close' });
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too large') return error(413, `the request is over the limit of ${maxBodyBytes} bytes; send a smaller photo`, { connection: 'close' });

    const form = parseForm(req.headers['content-type'] ?? '', body);
    if (typeof form === 'string') return error(400, form);
    const client = this.clientFor(form.fields.api_key ?? headerValue(req.headers['x-api-key']));
    if (!client) return error(401, 'missing or unknown api_key: ask the control room for your app’s key');
    const now = this.clock.now();
    const times = (this.recent.get(client) ?? []).filter((t) => now - t < 60_000);
    if (times.length >= perMinute) {
      this.recent.set(client, times);
      return error(429, `more than ${perMinute} reports in a minute from this app; try again shortly`, { 'retry-after': String(Math.ceil((60_000 - (now - times[0]!)) / 1000)) });
    }
    times.push(now);
    this.recent.set(client, times);

    const id = `${client}-${crypto.randomUUID().slice(0, 13)}`;
    const at = new Date(now).toISOString();
    // Only what a control room needs: what, where, when. Names, contacts, device ids and free text are never read.
    const request: Record<string, string> = { service_request_id: id, status: 'open', requested_datetime: at, updated_datetime: at };
    for (const key of ['service_code', 'service_name', 'lat', 'long', 'address_string'] as const) {
      const value = form.fields[key];
      if (value !== undefined) request[key === 'address_string' ? 'address' : key] = value;
    }
    for (const key of ['lat', 'long']) if (request[key] !== undefined && request[key]!.trim() !== '' && Number.isFinite(Number(request[key]))) (request as Record<string, unknown>)[key] = Number(request[key]);

    let media: Stripped | undefined;
    const file = form.files.media;
    if (file) {
      try {
        if (file.length > maxMediaBytes) throw new MediaRefused(`the photo or video is ${file.length} bytes, over the limit of ${maxMediaBytes}`);
        media = stripMedia(file, now);
      } catch (e) {
        if (!(e instanceof MediaRefused)) throw e;
        // Quarantined with the reason, without the file: an original is never stored.
        this.storeParsed({ records: [], errors: [{ raw: JSON.stringify({ ...request, media: `[${file.length} bytes, refused, not kept]` }), reason: `media: ${e.message}` }] }, now);
        return error(400, `media: ${e.message}`);
      }
    }

    const parsed = this.parse(JSON.stringify([request]), now);
    const record = parsed.records[0] as (FeedRecord & { kind: 'incident' }) | undefined;
    if (!record || parsed.errors.length > 0) {
      this.storeParsed(parsed, now);
      return error(400, parsed.errors[0]?.reason.replace(/^request 0: /, '') ?? 'not a service request');
    }
    if (media) record.media = [{ url: `intake:${id}/0`, type: media.format === 'mp4' ? 'video' : 'image' }];
    const outcome = this.storeParsed(parsed, now);
    if (outcome.quarantined > 0) return error(400, 'the report was refused; the control room can see why in its quarantine');
    if (media) this.ctx.store.media.putCache(`${this.id}:${id}`, 0, this.id, media, now);
    this.alive();
    return answer(201, [{ service_request_id: id, service_notice: 'Received by the control room.' }]);
  }

  /** The client app whose key this is (keys compared by their SHA-256, in constant time), or undefined. */
  private clientFor(key: string | undefined): string | undefined {
    if (!key) return undefined;
    const presented = crypto.createHash('sha256').update(key, 'utf8').digest();
    let found: string | undefined;
    for (const [client, { keySha256 }] of Object.entries(this.config.intake!.clients)) {
      if (crypto.timingSafeEqual(presented, Buffer.from(keySha256, 'hex'))) found = client;
    }
    return found;
  }
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.destroy();
      return 'too large';
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

interface Form {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
}

/** `application/x-www-form-urlencoded` (the GeoReport v2 POST) or `multipart/form-data` (with a `media` file). */
export function parseForm(contentType: string, body: Buffer): Form | string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return { fields: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: {} };
  }
  if (type !== 'multipart/form-data') return `Content-Type "${type || 'none'}" is not accepted: send application/x-www-form-urlencoded, or multipart/form-data with the photo in a part named "media"`;
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) return 'multipart/form-data without a boundary';
  const delimiter = Buffer.from(`--${mark}`);
  const form: Form = { fields: {}, files: {} };
  let at = body.indexOf(delimiter);
  if (at < 0) return 'multipart body without its boundary';
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return form;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) return 'a multipart part has no header end';
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return 'multipart body is cut short (no closing boundary)';
    const headers = body.subarray(start, headerEnd).toString('utf8');
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    const isFile = /content-disposition:[^\r\n]*\bfilename="/i.test(headers);
    const content = body.subarray(headerEnd + 4, next);
    if (name !== undefined) {
      if (isFile) form.files[name] = content;
      else form.fields[name] = content.toString('utf8');
    }
    at = next + 2;
  }
}
