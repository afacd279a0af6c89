import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { addHubUser, addWorkstation, authorise, HubGate, loadHubCredentials, verifyWorkstation } from './credentials';

const dir = tempDir('vigie-10-cred-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hub credentials (one secret per workstation, only its hash at the hub)', () => {
  it('knows a workstation by its secret, and nobody else', async () => {
    const file = path.join(dir, 'a', 'hub-credentials.json');
    const secret = addWorkstation(file, 'poste-1');
    const other = addWorkstation(file, 'poste-2');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(secret);
    const creds = loadHubCredentials(file);
    expect(await verifyWorkstation(creds, 'poste-1', secret)).toBe(true);
    expect(await verifyWorkstation(creds, 'poste-1', other)).toBe(false);
    expect(await verifyWorkstation(creds, 'poste-1', '')).toBe(false);
    expect(await verifyWorkstation(creds, 'poste-3', secret)).toBe(false);
    expect(await verifyWorkstation(creds, '__proto__', secret)).toBe(false);
    // A new secret replaces the old one.
    const renewed = addWorkstation(file, 'poste-1');
    expect(await verifyWorkstation(loadHubCredentials(file), 'poste-1', secret)).toBe(false);
    expect(await verifyWorkstation(loadHubCredentials(file), 'poste-1', renewed)).toBe(true);
  });

  it('refuses a broken file with the field at fault, and a missing one with what to do', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, workstations: { 'poste 1': { hash: 'x' } } }));
    expect(() => loadHubCredentials(file)).toThrow(/workstations\.poste 1/);
    fs.writeFileSync(file, '{');
    expect(() => loadHubCredentials(file)).toThrow(/not valid JSON/);
    expect(() => loadHubCredentials(path.join(dir, 'none.json'))).toThrow(/vigie hub add-workstation/);
    expect(() => addWorkstation(path.join(dir, 'c.json'), 'bad id!')).toThrow(/letters, digits/);
  });
});

describe('hub login under a flood of bad attempts', () => {
  it('300 bad attempts neither block the event loop nor delay a real seat, and are cut off per address and per workstation', async () => {
    const file = path.join(dir, 'flood', 'hub-credentials.json');
    const secret = addWorkstation(file, 'poste-1');
    const creds = loadHubCredentials(file);
    const gate = new HubGate(() => creds);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    // 300 attempts from 30 addresses against 30 made-up workstations: each pair may try 10 times.
    const bad = Array.from({ length: 300 }, (_, i) => gate.admit(`10.0.0.${i % 30}`, `ghost-${i % 30}`, 'wrong'));
    const started = performance.now();
    const good = await gate.admit('10.0.1.1', 'poste-1', secret);
    const goodMs = performance.now() - started;
    const answers = await Promise.all(bad);
    delay.disable();
    expect(good).toEqual({ ok: true });
    // Past the bounded queue, made-up attempts are turned away at once (503) without scrypt.
    expect(answers.every((a) => !a.ok && (a.status === 401 || a.status === 503))).toBe(true);
    expect(answers.filter((a) => !a.ok && a.status === 503).length).toBeGreaterThan(200);
    // scrypt ran on the thread pool, two at a time: the loop never stalled (before: scryptSync,
    // ~40 ms of blocked loop per attempt, 12.7 s for 300), and the real seat went first. The bounds
    // leave room for a loaded CI machine (OS scheduling shows up as loop delay too).
    expect(delay.max / 1e6).toBeLessThan(1000);
    expect(goodMs).toBeLessThan(5000);
    console.log(`300 bad hub logins: event loop max delay ${(delay.max / 1e6).toFixed(1)} ms; a real seat admitted in ${goodMs.toFixed(0)} ms`);
    // The 11th attempt from one address, or for one workstation, is refused at once, without scrypt.
    const fromSame = await gate.admit('10.0.0.1', 'poste-1', secret);
    expect(fromSame).toMatchObject({ ok: false, status: 429 });
    const another = new HubGate(() => creds);
    for (let i = 0; i < 10; i++) await another.admit(`10.9.0.${i}`, 'poste-1', 'wrong');
    expect(await another.admit('10.9.1.1', 'poste-1', secret)).toMatchObject({ ok: false, status: 429, why: expect.stringContaining('workstation poste-1') });
  }, 60_000);

  it('decides the role from its own policy: a seat may act only for its users, with their role', () => {
    const file = path.join(dir, 'roles', 'hub-credentials.json');
    addWorkstation(file, 'poste-1');
    addWorkstation(file, 'poste-2');
    addHubUser(file, 'jdupont', 'supervisor', ['poste-1']);
    addHubUser(file, 'amartin', 'operator', ['poste-2']);
    const creds = loadHubCredentials(file);
    expect(authorise(creds, 'poste-1', 'jdupont', 'supervisor')).toEqual({ ok: true, role: 'supervisor' });
    expect(authorise(creds, 'poste-2', 'jdupont', 'supervisor')).toMatchObject({ ok: false, why: expect.stringContaining('poste-2 may not act for jdupont') });
    expect(authorise(creds, 'poste-2', 'amartin', 'supervisor')).toMatchObject({ ok: false, why: 'amartin is operator at the hub, not supervisor' });
    expect(authorise(creds, 'poste-1', 'mallory', 'admin')).toMatchObject({ ok: false, why: expect.stringContaining('does not know the user "mallory"') });
    expect(authorise(creds, 'poste-1', '__proto__', 'admin').ok).toBe(false);
  });
});
