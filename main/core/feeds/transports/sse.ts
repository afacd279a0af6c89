import { overLimit, StreamFeed } from './stream';
import { describeError } from '../runner';

/** Event types that only say the stream is alive. */
const HEARTBEATS = new Set(['ping', 'heartbeat', 'keepalive', 'keep-alive']);

/**
 * A Server-Sent Events stream (text/event-stream). Each event's data is one payload. The last
 * event id is committed with the records it came with and sent back as Last-Event-ID on
 * reconnection (and after a restart), so a server that keeps history resends only what we missed.
 */
export class SseFeed extends StreamFeed {
  readonly transport = 'sse';
  protected readonly reconnects = true;
  private abort: AbortController | null = null;
  private reading: Promise<void> | null = null;

  protected open(): void {
    const abort = new AbortController();
    this.abort = abort;
    this.reading = this.read(abort).catch((error: unknown) => {
      if (this.abort === abort) {
        this.abort = null;
        this.lost(`SSE ${this.where}: ${describeError(error)}`);
      }
    });
  }

  protected async close(): Promise<void> {
    const abort = this.abort;
    this.abort = null;
    abort?.abort();
    await this.reading;
  }

  private async read(abort: AbortController): Promise<void> {
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    let lastId = this.ctx.store.feedState.get(this.id).cursor ?? undefined;
    if (lastId) headers['last-event-id'] = lastId;
    const timeout = setTimeout(() => abort.abort(new Error(`no answer within ${this.config.timeoutSeconds} s`)), this.config.timeoutSeconds * 1000);
    let response: Response;
    try {
      response = await fetch(this.requestUrl, { headers: { ...headers, ...this.authHeaders() }, signal: abort.signal });
    } finally {
      clearTimeout(timeout);
    }
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    if (!/text\/event-stream/i.test(response.headers.get('content-type') ?? '')) throw new Error(`answered ${response.headers.get('content-type') ?? 'no content type'}, not text/event-stream`);
    this.alive();
    const decoder = new TextDecoder('utf-8');
    const reader = response.body.getReader();
    let buffer = '';
    let data: string[] = [];
    let dataBytes = 0;
    let tooBig = false;
    let event = '';
    const limit = this.config.maxPayloadBytes;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl: RegExpExecArray | null;
      const lineEnd = /\r\n|\r|\n/g;
      let start = 0;
      while ((nl = lineEnd.exec(buffer))) {
        // A lone \r at the very end may be the first half of \r\n: wait for more.
        if (nl[0] === '\r' && nl.index === buffer.length - 1) break;
        const line = buffer.slice(start, nl.index);
        start = nl.index + nl[0].length;
        if (line === '') {
          if (tooBig) {
            this.refuse(data.join('\n').slice(0, 4096), overLimit(limit));
          } else if (data.length > 0 && !HEARTBEATS.has(event)) {
            this.accept(data.join('\n'), lastId);
          } else {
            this.alive();
          }
          data = [];
          dataBytes = 0;
          tooBig = false;
          event = '';
          continue;
        }
        if (line.startsWith(':')) {
          this.alive();
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
        if (field === 'data') {
          dataBytes += val.length + 1;
          if (dataBytes > limit) tooBig = true;
          else data.push(val);
        } else if (field === 'id' && !val.includes('\0')) lastId = val;
        else if (field === 'event') event = val;
        else if (field === 'retry' && /^\d+$/.test(val)) this.retryMs = Math.min(Number(val), 300_000);
      }
      buffer = buffer.slice(start);
      if (buffer.length > limit) {
        // A "line" longer than any payload may be: not an event stream we can read.
        throw new Error(`a line of more than ${limit} bytes without an end; not a usable event stream`);
      }
    }
    throw new Error('the server ended the stream');
  }
}
