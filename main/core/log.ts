import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';

/**
 * Structured logs: one JSON line per event (pino), with its level, time, component and context.
 * Until a host calls configureLogging, warnings and errors go to stderr; after, every line goes to rotating files in the
 * profile's (or the hub's state folder's) logs/ folder, and warnings and errors still to stderr
 * so a terminal sees them. CLI output meant for the user is not logging: it stays on stdout.
 */
export type Logger = pino.Logger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** A log file cut at maxBytes; the older ones are kept as NAME.1 … NAME.keep, oldest dropped. */
export class RotatingFile {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes = 5 * 1024 * 1024,
    private readonly keep = 5,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = fs.openSync(file, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  /** Synchronous, so that the last lines before a crash are on disk. */
  write(line: string): boolean {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    try {
      fs.writeSync(this.fd, line);
      this.size += bytes;
    } catch {
      // A full disk must not take the service down with its log: the line is lost, the work goes on.
    }
    return true;
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i + 1}`);
    }
    fs.renameSync(this.file, `${this.file}.1`);
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = 0;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

const envLevel = (): LogLevel => (process.env.VIGIE_LOG_LEVEL as LogLevel | undefined) ?? 'info';
let generation = 0;
let openFile: RotatingFile | null = null;

export interface LogSetup {
  /** The folder for the log files (<profile>/logs, <hub state>/logs). */
  dir: string;
  /** The file's name without extension: service, hub, main. */
  name: string;
  level?: LogLevel;
  /** Also copy warnings and errors to stderr (default true). */
  stderr?: boolean;
  maxBytes?: number;
  keep?: number;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };
/** The terminal gets the sentence, not the JSON: "warning (db): slow query". The file keeps the context. */
const terminal = {
  write(line: string): boolean {
    try {
      const entry = JSON.parse(line) as { level: number; component?: string; msg?: string };
      process.stderr.write(`${LEVEL_NAMES[entry.level] ?? 'log'}${entry.component ? ` (${entry.component})` : ''}: ${entry.msg ?? ''}\n`);
    } catch {
      process.stderr.write(line);
    }
    return true;
  },
};

// Until a host chooses a file (a one-shot CLI command never does), warnings and errors as sentences on stderr.
let root: Logger = pino({ level: process.env.VIGIE_LOG_LEVEL ?? 'warn', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, terminal);

/** Sends every logger, those made before included, to DIR/NAME.log from now on. Returns its path. */
export function configureLogging(setup: LogSetup): string {
  const file = path.join(setup.dir, `${setup.name}.log`);
  openFile?.close();
  openFile = new RotatingFile(file, setup.maxBytes, setup.keep);
  const level = setup.level ?? envLevel();
  const streams: pino.StreamEntry[] = [{ level, stream: openFile }];
  if (setup.stderr !== false) streams.push({ level: 'warn', stream: terminal });
  root = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams));
  generation++;
  return file;
}

/**
 * The logger of one component ("db", "dispatch", "service"). It follows configureLogging even
 * when it was made at import time, before the host chose the file.
 */
export function log(component: string): Logger {
  let made = -1;
  let child: Logger = root;
  const current = () => {
    if (made !== generation) {
      child = root.child({ component });
      made = generation;
    }
    return child;
  };
  return new Proxy({} as Logger, {
    get: (_t, key) => {
      const target = current();
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The log files in a folder, newest first (for `vigie doctor --bundle`). */
export function logFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.log(\.\d+)?$/.test(f))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
}
