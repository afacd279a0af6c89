import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { tempDir } from '../../../test/helpers';
import { bundleScript } from '../../../test/bundleScript';

// Bundled once: the test starts it 20 times (test/bundleScript.ts says why).
const INGESTER = bundleScript(path.join(import.meta.dirname, '..', '..', '..', 'test', 'crashIngester.ts'));
const KILLS = 20;

/** Runs the ingester until it has acknowledged at least one batch, plus a random moment, then SIGKILLs it. */
function runAndKill(dir: string, run: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INGESTER, dir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let buffer = '';
    let errors = '';
    let killing = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const m = /^ack (\d+) (\d+)$/.exec(line);
        if (m) acked.push(Number(m[2]));
      }
      if (!killing && acked.length > 0) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 150));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`ingester exited with ${code}: ${errors}`));
    });
  });
}

describe('crash safety', () => {
  it(`keeps every acknowledged batch and a sound database through ${KILLS} SIGKILLs during ingest`, async () => {
    const dir = tempDir();
    const acknowledged: [number, number][] = [];
    for (let run = 0; run < KILLS; run++) for (const batch of await runAndKill(dir, run)) acknowledged.push([run, batch]);
    const store = Store.open(dir);
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const has = store.db.prepare('SELECT count(*) FROM incidents WHERE id = ?').pluck();
      const missing = acknowledged.flatMap(([run, batch]) => [0, 199].filter((i) => has.get(`crash:${run}-${batch}-${i}`) !== 1).map((i) => `${run}-${batch}-${i}`));
      expect(missing).toEqual([]);
      // Whole batches or nothing: every incident has its event, every batch its quarantined entry.
      const incidents = store.incidents.total();
      expect(incidents % 200).toBe(0);
      expect(store.db.prepare("SELECT count(*) FROM events WHERE kind = 'incident.upsert'").pluck().get()).toBe(incidents);
      expect(store.quarantine.count()).toBe(incidents / 200);
      expect(acknowledged.length).toBeGreaterThanOrEqual(KILLS);
      expect(store.feedState.get('crash').stored).toBe(incidents);
    } finally {
      store.close();
    }
  }, 240_000);
});
