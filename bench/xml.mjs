#!/usr/bin/env node
// XML reader throughput (`npm run bench -- xml`): a CoT stream of 20,000 events and an Atom/CAP
// document of 5,000 entries, parsed by main/core/feeds/xml.ts. Prints MB/s and µs per element,
// best of `--rounds` rounds (the best round is the one the neighbours disturbed least).
// `--against FILE` loads another copy of xml.ts (an older checkout) into the same process and
// alternates the two round by round, printing CPU ms and new ÷ old: the fair way to compare on a
// shared machine.
//   node bench/xml.mjs [--events 20000] [--rounds 5] [--against /tmp/old/main/core/feeds/xml.ts]
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { numberArg, runUnderTsx } from './lib/underTsx.mjs';

// The reader is TypeScript: this file runs again under tsx.
runUnderTsx(import.meta.url);
const arg = numberArg;
const againstAt = process.argv.indexOf('--against');
const against = againstAt > 0 ? path.resolve(process.argv[againstAt + 1]) : null;
const EVENTS = arg('events', 20_000);
const ROUNDS = arg('rounds', 5);
const { parseXml, parseXmlStream } = await import('../main/core/feeds/xml.ts');

const cot = [];
for (let i = 0; i < EVENTS; i++) {
  cot.push(`<?xml version="1.0" encoding="UTF-8"?><event version="2.0" uid="U-${i}" type="a-f-G-U-C" how="m-g" time="2026-03-01T10:00:00Z" start="2026-03-01T10:00:00Z" stale="2026-03-01T10:05:00Z"><point lat="43.${i % 1000}" lon="5.${i % 997}" hae="0" ce="10" le="10"/><detail><contact callsign="Unit &amp; ${i}"/><track course="${i % 360}" speed="8"/><remarks><![CDATA[patrol <north>]]></remarks></detail></event>`);
}
const cotStream = cot.join('\n');
const entries = [];
for (let i = 0; i < EVENTS / 4; i++) {
  entries.push(`<entry><id>urn:oid:2.49.0.1.250.${i}</id><title>Vigilance orange &#233;t&#xE9; ${i}</title><updated>2026-03-01T10:00:00+01:00</updated><cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2"><cap:identifier>A-${i}</cap:identifier><cap:sender>meteo@example.org</cap:sender><cap:sent>2026-03-01T10:00:00+01:00</cap:sent><cap:status>Actual</cap:status><cap:info><cap:event>Orages</cap:event><cap:area><cap:polygon>43.2,5.3 43.3,5.3 43.3,5.4 43.2,5.3</cap:polygon></cap:area></cap:info></cap:alert><!-- ${i} --></entry>`);
}
const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">${entries.join('\n')}</feed>`;

function best(fn) {
  let ms = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const began = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - began);
  }
  return ms;
}
if (against) {
  const old = await import(against);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const best = { old: { cot: Infinity, atom: Infinity }, new: { cot: Infinity, atom: Infinity } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [side, reader] of [['old', old], ['new', { parseXml, parseXmlStream }]]) {
      let began = cpu();
      reader.parseXmlStream(cotStream);
      best[side].cot = Math.min(best[side].cot, cpu() - began);
      began = cpu();
      reader.parseXml(atom);
      best[side].atom = Math.min(best[side].atom, cpu() - began);
    }
  }
  for (const f of ['cot', 'atom']) console.log(JSON.stringify({ figure: `xml_${f}_new_vs_old`, old_cpu_ms: +best.old[f].toFixed(1), new_cpu_ms: +best.new[f].toFixed(1), new_over_old: +(best.new[f] / best.old[f]).toFixed(3) }));
  process.exit(0);
}

const countElements = (s) => (s.match(/<[A-Za-z]/g) ?? []).length;
for (const [figure, source, run] of [
  ['xml_cot_stream', cotStream, () => { const out = parseXmlStream(cotStream); if (out.length !== EVENTS || !out.every((f) => f.ok)) throw new Error('CoT stream misread'); }],
  ['xml_atom_cap', atom, () => { const out = parseXml(atom); if (!out.ok || out.root.children.length !== EVENTS / 4) throw new Error('Atom document misread'); }],
]) {
  const ms = best(run);
  console.log(JSON.stringify({ figure, chars: source.length, ms: +ms.toFixed(1), mb_per_s: +(source.length / 1e6 / (ms / 1000)).toFixed(1), us_per_element: +((ms * 1000) / countElements(source)).toFixed(3) }));
}
