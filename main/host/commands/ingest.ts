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

const command: Command = {
  name: 'ingest',
  summary: 'Run feed files through the same adapter pipeline as live feeds',
  usage: `vigie ingest --profile DIR --type TYPE [--feed ID] [--options JSON|FILE] [--encoding NAME] FILE…

  --type TYPE     the feed standard: ${Object.keys(ADAPTERS).sort().join(', ')}
  --feed ID       the feed these records belong to (default: file-TYPE); ids are unique per feed
  --options JSON  the standard's options, as in a feed's "options" in config.json (inline JSON or a
                  file), e.g. a CSV column mapping: '{"kind":"incident","columns":{…}}'
  --encoding NAME the files' character encoding when they declare none (no BOM or XML
                  declaration), e.g. windows-1252 (default: the feed's "encoding", else utf-8)
Prints "read R, stored N, quarantined M" and what was read but not stored, by kind
("ignored: 163 index entries: links only"). Quarantined records are kept with the reason
(see them in the UI's Feeds panel or with the quarantine.list method).`,
  async run(argv) {
    const { values, positionals } = parse(argv, { profile: { type: 'string' }, type: { type: 'string' }, feed: { type: 'string' }, options: { type: 'string' }, encoding: { type: 'string' }, json: { type: 'boolean' } }, true);
    if (values.help) {
      console.log(this.usage);
      return 0;
    }
    if (!values.type) throw new UsageError('--type is required');
    if (positionals.length === 0) throw new UsageError('give at least one FILE');
    const adapter = adapterFor(values.type);
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
      for (const file of positionals) {
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(file);
        } catch (error) {
          throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        const receivedAt = Date.now();
        const parsed = parsePayload(adapter, bytes, { feedId, config: options, receivedAt, encoding });
        const outcome = storeAndPublish(ctx, { id: feedId, simulated: false, minimise }, parsed, receivedAt);
        totals.read += parsed.records.length + parsed.errors.length + Object.values(parsed.ignored ?? {}).reduce((a, b) => a + b, 0);
        addIgnored(totals.ignored, parsed.ignored);
        totals.stored += outcome.stored;
        totals.unchanged += outcome.unchanged;
        totals.quarantined += outcome.quarantined;
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
