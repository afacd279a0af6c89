/**
 * Cost of a cheap contract call over browser mode's WebSocket (session.whoami, one at a time),
 * for two checkouts in one run, rounds interleaved: `npx tsx bench/wsCalls.mts [OTHER_CHECKOUT]`.
 * Prints the median per-call time of each. Bounded: 5 rounds × 500 calls each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

const trees = [path.resolve(import.meta.dirname, '..'), ...(process.argv[2] ? [path.resolve(process.argv[2])] : [])];
const ROUNDS = 5;
const CALLS = 500;

async function start(tree: string) {
  const { VigieCore } = await import(path.join(tree, 'main/core/core.ts'));
  const { serve } = await import(path.join(tree, 'main/host/websocket.ts'));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-'));
  const rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-r-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  const core = new VigieCore(profileDir, { profileDir, demo: false, policyFile: path.join(profileDir, 'none.json') });
  const server = await serve(core, { host: '127.0.0.1', port: 0, rendererDir, role: 'supervisor' });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
  await new Promise((resolve) => ws.once('open', resolve));
  let pending: ((v: unknown) => void) | null = null;
  ws.on('message', (d) => {
    if (String(d).startsWith('{"t":"res"')) pending?.(null);
  });
  let id = 0;
  const call = () => new Promise((resolve) => {
    pending = resolve;
    ws.send(JSON.stringify({ t: 'req', id: ++id, method: 'session.whoami', params: {} }));
  });
  return { call, close: async () => { ws.close(); await server.close(); await core.close(); } };
}

const servers = await Promise.all(trees.map(start));
const times: number[][] = trees.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < servers.length; i++) {
    for (let c = 0; c < 50; c++) await servers[i]!.call(); // warm-up
    const t0 = performance.now();
    for (let c = 0; c < CALLS; c++) await servers[i]!.call();
    times[i]!.push(((performance.now() - t0) / CALLS) * 1000);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
trees.forEach((tree, i) => console.log(`${tree}: session.whoami over WebSocket, median of ${ROUNDS} rounds × ${CALLS} calls: ${median(times[i]!).toFixed(0)} µs/call (rounds: ${times[i]!.map((t) => t.toFixed(0)).join(', ')})`));
for (const s of servers) await s.close();
