import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';

const bin = path.resolve(__dirname, '../../../test/vigie.mjs');

// A service whose parent went away: the script or terminal that started it closed its end of the
// stdout and stderr pipes. The service used to spin on the EPIPE of its own error log (guard.ts
// says how), one core busy, and no longer stopped on SIGTERM.
describe('vigie serve, orphaned from its terminal', () => {
  it('keeps serving with its stdout and stderr closed, and stops on SIGTERM', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--profile', path.join(tempDir(), 'profile')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const m = /Vigie listening on (http:\/\/\S+)/.exec(output);
          if (m) resolve(m[1]!);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`vigie serve exited with ${code}: ${output}`)));
      });
      child.stdout.destroy();
      child.stderr.destroy();
      // The demo feed runs, the desk's page is served, a bad request is refused (and logged, to a stderr now closed).
      const page = new URL(url);
      expect((await fetch(page)).status).toBe(200);
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(Number(page.port), page.hostname, () => socket.end('NOT-HTTP\r\n\r\n'));
        let answer = '';
        socket.on('data', (d) => (answer += d.toString()));
        socket.on('close', () => resolve(answer));
      });
      expect(refused).toMatch(/^HTTP\/1\.1 400/);
      expect((await fetch(page)).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running 10 s after SIGTERM'), 10_000))]);
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
