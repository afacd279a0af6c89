import fs from 'node:fs';
import path from 'node:path';
import { BaseFeed, describeError } from '../runner';
import type { Timer } from '../../clock';

/** Names writers use while a file is being written; never read before they are renamed. */
const IN_PROGRESS = /^\.|\.(tmp|part|partial|crdownload|swp)$/i;
/** A file changed less than this long ago may still be being written. */
const SETTLE_MS = 500;

/** How often the set-aside copies are checked against the feed's retention. */
const COPY_PURGE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * A drop folder: IT or another system writes feed files into `path`; each file is read whole,
 * stored, and then deleted (or moved to `failed/` when it cannot be read or is over the size
 * limit). A stored file is not kept: its raw bytes hold what the privacy policy scrubbed from the
 * cache, and the event log keeps what the policy keeps. `failed/` copies are kept for IT to fix and
 * drop again, and deleted at the feed's retention like its quarantine (so are `done/` copies left
 * by earlier versions). A crash between storing and moving reads the file again at restart, which stores
 * nothing twice: records are upserts by id. fs.watch makes it prompt; the interval scan makes it
 * sure (watch events are lost on some file systems and network shares).
 */
export class DropFolderFeed extends BaseFeed {
  readonly transport = 'folder';
  private timer: Timer | null = null;
  private watcher: fs.FSWatcher | null = null;
  private scanning: Promise<boolean> | null = null;
  private again = false;

  get folder(): string {
    return path.resolve(this.config.path!);
  }

  protected expectedWindowMs(): number {
    return (this.config.staleAfterSeconds ?? Math.max(60, 3 * this.config.intervalSeconds)) * 1000;
  }

  start(): void {
    if (this.isPaused()) return;
    this.stopped = false;
    this.startedAt = this.clock.now();
    try {
      fs.mkdirSync(this.folder, { recursive: true });
      this.watcher = fs.watch(this.folder, () => this.trigger());
      this.watcher.on('error', () => undefined);
    } catch (error) {
      this.failed(`cannot watch ${this.folder}: ${describeError(error)}`);
    }
    this.trigger();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    this.timer?.cancel();
    this.timer = null;
    this.clearStatusTimer();
    await this.scanning;
  }

  /** Reads every settled file now; resolves when they are stored and moved (true: some were still being written). */
  scanOnce(): Promise<boolean> {
    if (this.scanning) {
      this.again = true;
      return this.scanning;
    }
    this.scanning = this.scan().finally(() => {
      this.scanning = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.trigger();
      }
    });
    return this.scanning;
  }

  private trigger(): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = null;
    const next = (delayMs: number) => {
      if (this.stopped) return;
      this.nextAttemptAt = this.clock.now() + delayMs;
      this.timer = this.clock.setTimeout(() => this.trigger(), delayMs);
    };
    this.scanOnce().then(
      (unsettled) => next(unsettled ? SETTLE_MS : this.config.intervalSeconds * 1000),
      (error: unknown) => {
        // The cache refused a write (disk full…): say so, and keep the folder watched.
        this.failed(`drop folder ${this.folder}: ${describeError(error)}`);
        next(this.config.intervalSeconds * 1000);
      },
    );
  }

  private async scan(): Promise<boolean> {
    let unsettled = false;
    let names: string[];
    try {
      names = (await fs.promises.readdir(this.folder, { withFileTypes: true })).filter((d) => d.isFile() && !IN_PROGRESS.test(d.name)).map((d) => d.name).sort();
    } catch (error) {
      this.failed(`cannot read the drop folder ${this.folder}: ${describeError(error)}`);
      return false;
    }
    for (const name of names) {
      if (this.stopped) return false;
      const file = path.join(this.folder, name);
      try {
        const stat = await fs.promises.stat(file);
        // The file system's clock, not the injected one: mtime is stamped by the OS.
        if (Date.now() - stat.mtimeMs < SETTLE_MS) {
          unsettled = true;
          continue;
        }
        const receivedAt = this.clock.now();
        if (stat.size > this.config.maxPayloadBytes) {
          const head = Buffer.alloc(4096);
          const fd = await fs.promises.open(file, 'r');
          const { bytesRead } = await fd.read(head, 0, 4096, 0).finally(() => fd.close());
          this.storeParsed({ records: [], errors: [{ raw: `${name}: ${head.subarray(0, bytesRead).toString('utf8')}…`, reason: `file ${name} of ${stat.size} bytes is over this feed's limit of ${this.config.maxPayloadBytes} bytes (maxPayloadBytes); moved to failed/` }] }, receivedAt);
          await this.move(file, 'failed');
          continue;
        }
        const bytes = await fs.promises.readFile(file);
        this.ingest(new Uint8Array(bytes), receivedAt);
        await fs.promises.rm(file, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // taken away meanwhile
        // Kept where people look (the quarantine), and the file set aside for them.
        this.storeParsed({ records: [], errors: [{ raw: name, reason: `file ${name} could not be read: ${describeError(error)}; moved to failed/` }] }, this.clock.now());
        await this.move(file, 'failed').catch(() => undefined);
      }
    }
    if (this.clock.now() - this.copiesPurgedAt >= COPY_PURGE_EVERY_MS) await this.purgeCopies();
    // A failed file was moved aside and reported; the folder itself works.
    this.succeeded();
    return unsettled;
  }

  private copiesPurgedAt = 0;

  /** Deletes `failed/` (and legacy `done/`) copies older than the feed's retention; returns how many. */
  async purgeCopies(now = this.clock.now()): Promise<number> {
    this.copiesPurgedAt = now;
    const cutoff = now - this.config.privacy.retentionDays * DAY_MS;
    let deleted = 0;
    for (const sub of ['failed', 'done']) {
      const dir = path.join(this.folder, sub);
      let names: string[];
      try {
        names = await fs.promises.readdir(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        const file = path.join(dir, name);
        // When it was set aside: the stamp move() put in its name, else its modification time.
        const stamp = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z-/.exec(name);
        const at = stamp ? Date.parse(`${stamp[1]}T${stamp[2]}:${stamp[3]}:${stamp[4]}.${stamp[5]}Z`) : (await fs.promises.stat(file).catch(() => null))?.mtimeMs;
        if (at === undefined || at >= cutoff) continue;
        await fs.promises.rm(file, { force: true });
        deleted++;
      }
    }
    return deleted;
  }

  private async move(file: string, to: 'done' | 'failed'): Promise<void> {
    const dir = path.join(this.folder, to);
    await fs.promises.mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await fs.promises.rename(file, path.join(dir, `${stamp}-${path.basename(file)}`));
  }
}
