import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/** Polls `check` until it holds or `timeoutMs` passes; for asserting what a running feed did. */
export async function waitFor(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface RouteServer {
  base: string;
  hits: { url: string; headers: http.IncomingHttpHeaders }[];
  route(path: string, handler: http.RequestListener): void;
  close(): Promise<void>;
}

/** A loopback HTTP server whose answer per path the test decides (and changes). */
export async function startRouteServer(): Promise<RouteServer> {
  const routes = new Map<string, http.RequestListener>();
  const hits: RouteServer['hits'] = [];
  const server = http.createServer((req, res) => {
    hits.push({ url: req.url ?? '', headers: req.headers });
    const handler = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (handler) handler(req, res);
    else res.writeHead(404).end('no such path');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    hits,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface WsFeedServer {
  url: string;
  clients: Set<WebSocket>;
  connections: number;
  /** Headers of the last handshake. */
  lastHeaders: http.IncomingHttpHeaders | null;
  send(message: string | Buffer): void;
  /** Drops every connection, as a flapping server would. */
  dropClients(): void;
  close(): Promise<void>;
}

export async function startWsFeedServer(): Promise<WsFeedServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const state: WsFeedServer = {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/feed`,
    clients: new Set(),
    connections: 0,
    lastHeaders: null,
    send(message) {
      for (const c of state.clients) c.send(message);
    },
    dropClients() {
      for (const c of state.clients) c.terminate();
      state.clients.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
  wss.on('connection', (socket, req) => {
    state.connections++;
    state.lastHeaders = req.headers;
    state.clients.add(socket);
    socket.on('close', () => state.clients.delete(socket));
  });
  return state;
}

export interface SseFeedServer {
  url: string;
  /** Last-Event-ID sent by each connection, in order (null: none). */
  lastEventIds: (string | null)[];
  /** Appends an event to the history and sends it to connected clients. */
  push(data: string, event?: string): void;
  comment(text: string): void;
  dropClients(): void;
  close(): Promise<void>;
}

/** An SSE server that keeps its history and replays what follows the client's Last-Event-ID. */
export async function startSseFeedServer(): Promise<SseFeedServer> {
  const history: { id: number; data: string; event?: string | undefined }[] = [];
  const clients = new Set<http.ServerResponse>();
  const lastEventIds: (string | null)[] = [];
  const frame = (e: (typeof history)[number]) => `${e.event ? `event: ${e.event}\n` : ''}id: ${e.id}\n${e.data.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`;
  const server = http.createServer((req, res) => {
    const last = req.headers['last-event-id'];
    lastEventIds.push(typeof last === 'string' ? last : null);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('retry: 50\n\n');
    const after = typeof last === 'string' ? Number(last) : 0;
    for (const e of history) if (e.id > after) res.write(frame(e));
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/events`,
    lastEventIds,
    push(data, event) {
      const e = { id: history.length + 1, data, event };
      history.push(e);
      for (const c of clients) c.write(frame(e));
    },
    comment(text) {
      for (const c of clients) c.write(`: ${text}\n\n`);
    },
    dropClients() {
      for (const c of clients) c.destroy();
      clients.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
