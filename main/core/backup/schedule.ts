import { backupDir, backupProfile, listBackups, pruneBackups } from './backup';
import { log } from '../log';

const logger = log('backup');

/** The machine policy's `backup` (main/core/policy/machinePolicy.ts). */
export interface BackupPolicy {
  everyHours: number;
  keep: number;
  dir?: string | undefined;
}

/**
 * Backs the live profile up on the policy's schedule, keeping the newest `keep`. Checks every
 * few minutes whether the newest backup is older than the period, so a workstation that was off
 * at the hour makes it up when it starts. A failed backup is logged and tried again next check.
 */
export class BackupSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  readonly dir: string;

  constructor(
    private readonly profileDir: string,
    private readonly policy: BackupPolicy,
    private readonly clock: () => number = Date.now,
    private readonly checkEveryMs = 5 * 60_000,
  ) {
    this.dir = backupDir(profileDir, policy.dir);
  }

  due(now = this.clock()): boolean {
    const newest = listBackups(this.dir)[0];
    return !newest || now - newest.createdAt >= this.policy.everyHours * 3_600_000;
  }

  /** One check: backs up when due. Resolves when done (tests wait on it). */
  tick(): Promise<void> {
    if (this.running) return this.running;
    const running = (async () => {
      try {
        if (!this.due()) return;
        await backupProfile(this.profileDir, this.dir, this.clock());
        const removed = pruneBackups(this.dir, this.policy.keep);
        if (removed.length > 0) logger.info({ removed }, 'old backups removed');
      } catch (error) {
        logger.error({ err: error, dir: this.dir }, `scheduled backup failed: ${(error as Error).message}`);
      }
    })();
    this.running = running;
    void running.then(() => {
      if (this.running === running) this.running = null;
    });
    return running;
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.checkEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
