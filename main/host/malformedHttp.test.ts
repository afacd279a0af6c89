import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { VigieCore } from '../core/core';
import { serve, type RunningServer } from './websocket';
import { tempDir } from '../../test/helpers';
import { malformedCorpus, sendRaw } from '../../test/malformedHttp';

/**
 * Browser mode against the standing corpus of malformed requests (test/malformedHttp.ts), as raw
 * bytes on a real loopback socket: each one gets a 4xx (400 for the findings of issue 14) or a
 * closed connection, is logged, and the server goes on serving the page and the WebSocket.
 */
let core: VigieCore;
let server: RunningServer;
let rendererDir: string;
let errors: string[] = [];

beforeAll(async () => {
  const profileDir = tempDir();
  rendererDir = tempDir('vigie-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
  // A sibling folder whose name starts with the renderer folder's: never served.
  fs.mkdirSync(`${rendererDir}-evil`);
  fs.writeFileSync(path.join(`${rendererDir}-evil`, 'secret.txt'), 'the pseudonymisation key');
  core = new VigieCore(profileDir, { profileDir, demo: false });
  server = await serve(core, { host: '127.0.0.1', port: 0, rendererDir, role: 'supervisor' });
  // The guards log through main/core/log: before a host configures it, errors are sentences on stderr.
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => errors.push(String(chunk)) > 0);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await server?.close();
  await core?.close();
});

async function stillServing(): Promise<void> {
  const page = await fetch(`http://127.0.0.1:${server.port}/`);
  expect(page.status).toBe(200);
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.close();
}

describe('browser mode under malformed requests', () => {
  for (const request of malformedCorpus('/ws')) {
    it(`answers "${request.name}" with a 4xx or closes, and keeps serving`, async () => {
      errors = [];
      const answer = await sendRaw(server.port, request.raw, 1500);
      if (request.status) expect(answer.status).toBe(request.status);
      else expect(answer.status === null || (answer.status >= 400 && answer.status < 500)).toBe(true);
      await stillServing();
    });
  }

  it('logs what it refused and why', async () => {
    errors = [];
    expect((await sendRaw(server.port, 'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n')).status).toBe(400);
    expect((await sendRaw(server.port, `GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`)).status).toBe(400);
    expect(errors.join('\n')).toMatch(/error \(serve\): refused a request from 127\.0\.0\.1 GET \/%E0%A4%A: bad percent-encoding/);
    expect(errors.join('\n')).toMatch(/error \(serve\): refused an upgrade from 127\.0\.0\.1 GET http:\/\/\[: malformed request target/);
  });

  it('refuses a token of the right length made of multibyte characters, without crashing', async () => {
    const forged = 'é'.repeat(server.token.length);
    const answer = await sendRaw(
      server.port,
      `GET /ws?token=${encodeURIComponent(forged)} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:${server.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('missing or wrong token');
    await stillServing();
  });

  it('never serves a file from a sibling folder whose name starts like the renderer folder', async () => {
    const sibling = `${path.basename(rendererDir)}-evil`;
    const answer = await sendRaw(server.port, `GET /..%2F${sibling}%2Fsecret.txt HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer.status).toBe(403);
    expect(answer.text).not.toContain('pseudonymisation key');
  });
});
