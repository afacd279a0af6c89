import fs from 'node:fs';
import path from 'node:path';
import { EventBus } from '../../core/bus';
import { ADAPTERS, adapterFor } from '../../core/feeds/registry';
import { addIgnored, describeIgnored, isKnownEncoding, parsePayload, type FeedAdapter } from '../../core/feeds/adapter';
import { storeAndPublish } from '../../core/feeds/scheduler';
import { Store } from '../../core/store';
import { loadProfileConfig } from '../../core/config';
import { minimisersFor } from '../../core/privacy/keys';
import { PrivacyPolicy } from '../../core/privacy/policy';
import { parse } from '../args';
import { defaultProfileDir } from '../profile';
import { UsageError, type Command } from './command';
import type { ParseResult } from '../../core/feeds/adapter';
import { csvPieces, jsonDepthOver, MAX_JSON_DEPTH } from '../../core/feeds/ingestBounds';

/** Whole-document files above this are refused (CSV is read in pieces): a 200 MB GeoJSON would take over 1 GB once parsed. */
const DEFAULT_MAX_MB = 64;

const command: Command = {
  name: 'ingest',
  summary: 'Run feed files through the same adapter pipeline as live feeds',
  usage: `vigie ingest --profile DIR --type TYPE [--feed ID] [--options JSON|FILE] [--encoding NAME] [--max-mb N] FILE…

  --type TYPE     the feed standard: ${Object.keys(ADAPTERS).sort().join(', ')}
  --feed ID       the feed these records belong to (default: file-TYPE); ids are unique per feed
  --options JSON  the standard's options, as in a feed's "options" in config.json (inline JSON or a
                  file), e.g. a CSV column mapping: '{"kind":"incident","columns":{…}}'
  --encoding NAME the files' character encoding when they declare none (no BOM or XML
                  declaration), e.g. windows-1252 (default: the feed's "encoding", else utf-8)
  --max-mb N      the largest file read at once (default ${DEFAULT_MAX_MB}); a larger CSV is read in
                  pieces, a larger file of another type is refused. JSON nested more than
                  ${MAX_JSON_DEPTH} levels is quarantined unread.
Prints "read R, stored N, quarantined M" and what was read but not stored, by kind
("ignored: 163 index entries: links only"). Quarantined records are kept with the reason
(see them in the UI's Feeds panel or with the quarantine.list method).`,
  async run(argv) {
    const { values, positionals } = parse(argv, { profile: { type: 'string' }, type: { type: 'string' }, feed: { type: 'string' }, options: { type: 'string' }, encoding: { type: 'string' }, json: { type: 'boolean' }, 'max-mb': { type: 'string' } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (!values.type) throw new UsageError('--type is required');
    if (positionals.length === 0) throw new UsageError('give at least one FILE');
    const adapter = adapterFor(values.type);
    const maxMb = values['max-mb'] === undefined ? DEFAULT_MAX_MB : Number(values['max-mb']);
    if (!(maxMb > 0)) throw new UsageError(`--max-mb must be a positive number of megabytes, not "${values['max-mb']}"`);
    const maxBytes = maxMb * 1024 * 1024;
    const feedId = values.feed ?? `file-${values.type}`;
    const options = readOptions(adapter, values.options);
    const profileDir = path.resolve(values.profile ?? defaultProfileDir());
    // The feed's own privacy policy when it is configured, the default one (scrub free text) otherwise.
    const configured = loadProfileConfig(profileDir).feeds.find((f) => f.id === feedId);
    const minimise = minimisersFor(profileDir)(configured ?? { id: feedId, privacy: PrivacyPolicy.parse({}) });
    const store = Store.open(profileDir);
    const encoding = values.encoding ?? configured?.encoding;
    if (encoding !== undefined && !isKnownEncoding(encoding)) throw new UsageError(`--encoding: "${encoding}" is not an encoding Vigie knows; use e.g. utf-8, windows-1252, iso-8859-15`);
    const totals = { read: 0, stored: 0, unchanged: 0, quarantined: 0, ignored: {} as Record<string, number> };
    try {
      const ctx = { store, bus: new EventBus() };
      const feed = { id: feedId, simulated: false, minimise };
      const ingest = (bytes: Buffer) => {
        const receivedAt = Date.now();
        // A JSON bomb is quarantined before any parser recurses into it.
        const depth = jsonDepthOver(bytes);
        const parsed: ParseResult =
          depth !== null
            ? { records: [], errors: [{ raw: bytes.subarray(0, 2048).toString('utf8'), reason: `JSON nested more than ${MAX_JSON_DEPTH} levels deep: quarantined unread (no feed standard nests so deep). Check the file's producer.` }] }
            : parsePayload(adapter, bytes, { feedId, config: options, receivedAt, encoding });
        const outcome = storeAndPublish(ctx, feed, parsed, receivedAt);
        totals.read += parsed.records.length + parsed.errors.length + Object.values(parsed.ignored ?? {}).reduce((a, b) => a + b, 0);
        addIgnored(totals.ignored, parsed.ignored);
        totals.stored += outcome.stored;
        totals.unchanged += outcome.unchanged;
        totals.quarantined += outcome.quarantined;
      };
      for (const file of positionals) {
        let size: number;
        try {
          size = fs.statSync(file).size;
        } catch (error) {
          throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        if (size > maxBytes) {
          // Whole-document formats need the whole file in memory (several times its size once parsed): bounded here.
          if (adapter.type !== 'csv') throw new UsageError(`${file} is ${(size / 1048576).toFixed(0)} MB, over the ${maxMb} MB read at once for ${adapter.type} files: split it into smaller files, or raise --max-mb if this machine has the memory`);
          for await (const piece of csvPieces(file)) ingest(piece);
          continue;
        }
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(file);
        } catch (error) {
          throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        ingest(bytes);
      }
    } finally {
      store.close();
    }
    if (values.json) console.log(JSON.stringify(totals));
    else {
      const ignored = describeIgnored(totals.ignored);
      console.log(`read ${totals.read}, stored ${totals.stored}, quarantined ${totals.quarantined}${ignored ? `, ignored: ${ignored}` : ''}`);
      if (totals.read === 0) console.log('Nothing was read from these files: check --type, or that the files are not empty.');
    }
    return 0;
  },
};
export default command;

function readOptions(adapter: FeedAdapter<unknown>, raw: string | undefined): unknown {
  let json: unknown = undefined;
  if (raw !== undefined) {
    const text = raw.trim().startsWith('{') ? raw : fs.existsSync(raw) ? fs.readFileSync(raw, 'utf8') : null;
    if (text === null) throw new UsageError(`--options: "${raw}" is neither inline JSON nor a readable file`);
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--options is not valid JSON: ${(error as Error).message}`);
    }
  }
  const parsed = adapter.configSchema.safeParse(json ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
    throw new UsageError(`the ${adapter.type} feed needs options${raw === undefined ? ' (give them with --options)' : ''}: ${issues}`);
  }
  return parsed.data;
}
