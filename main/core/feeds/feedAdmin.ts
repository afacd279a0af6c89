import fs from 'node:fs';
import type { FeedStatus } from '../../../common/domain/feed';
import { configPath, FeedConfig, FEED_TRANSPORTS } from '../config';
import { ADAPTERS } from './registry';
import type { FeedScheduler } from './scheduler';

/**
 * Editing feeds from the app writes config.json, the file IT deploys, so that both stay one truth:
 * entries are replaced by id, every other key of the file is kept, and the file is replaced
 * atomically (a crash leaves the old or the new file, never half of one).
 */
export class FeedAdmin {
  constructor(
    private readonly profileDir: string,
    private readonly scheduler: FeedScheduler,
  ) {}

  settings(): { feeds: Record<string, unknown>[]; types: string[]; transports: string[] } {
    return { feeds: this.read().feeds as Record<string, unknown>[], types: Object.keys(ADAPTERS).sort(), transports: [...FEED_TRANSPORTS] };
  }

  async save(raw: Record<string, unknown>): Promise<FeedStatus> {
    const parsed = FeedConfig.safeParse(raw);
    if (!parsed.success) throw new Error(`The feed is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'feed'}: ${i.message}`).join('; ')}.`);
    // Builds the runner first: options the adapter refuses, or a policy that cannot apply, stop here.
    const status = await this.scheduler.replace(parsed.data);
    const file = this.read();
    const feeds = file.feeds as Record<string, unknown>[];
    const at = feeds.findIndex((f) => f.id === parsed.data.id);
    if (at >= 0) feeds[at] = raw;
    else feeds.push(raw);
    this.write(file);
    return status;
  }

  async remove(id: string): Promise<boolean> {
    const file = this.read();
    const feeds = file.feeds as Record<string, unknown>[];
    const kept = feeds.filter((f) => f.id !== id);
    const removed = await this.scheduler.remove(id);
    if (kept.length === feeds.length && !removed) return false;
    file.feeds = kept;
    this.write(file);
    return true;
  }

  private read(): Record<string, unknown> & { feeds: unknown[] } {
    const file = configPath(this.profileDir);
    const json = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    return { ...json, feeds: Array.isArray(json.feeds) ? json.feeds : [] };
  }

  private write(json: Record<string, unknown>): void {
    const file = configPath(this.profileDir);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(json, null, 2)}\n`);
    fs.renameSync(tmp, file);
  }
}
