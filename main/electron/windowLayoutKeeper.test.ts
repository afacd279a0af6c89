import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DisplayInfo, Rect } from './windowLayout';

/**
 * When the layout file is written, as Electron would drive it: Electron cannot run here, so its
 * module is replaced by windows that emit the events a real BrowserWindow emits (move, close,
 * closed) and a screen with two monitors. The file written is real, and read back by the reader
 * the next start uses.
 */
const displays = vi.hoisted((): DisplayInfo[] => [
  { id: 1, label: 'HP E24', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1, internal: false },
  { id: 2, label: 'HP E24 #2', bounds: { x: 1920, y: 0, width: 1920, height: 1080 }, workArea: { x: 1920, y: 0, width: 1920, height: 1040 }, scaleFactor: 1, internal: false },
]);
const screenEvents = vi.hoisted(() => new Map<string, () => void>());
vi.mock('electron', () => ({
  BrowserWindow: class {},
  screen: { getAllDisplays: () => displays, getPrimaryDisplay: () => displays[0], on: (event: string, handler: () => void) => screenEvents.set(event, handler) },
}));

const { WindowLayoutKeeper } = await import('./windows');
const { readLayoutFile } = await import('./windowLayoutFile');

class FakeWindow extends EventEmitter {
  destroyed = false;
  constructor(public bounds: Rect) {
    super();
  }
  getNormalBounds = () => this.bounds;
  getBounds = () => this.bounds;
  isMaximized = () => false;
  isFullScreen = () => false;
  isDestroyed = () => this.destroyed;
  setBounds = (bounds: Rect) => this.moveTo(bounds);
  moveTo(bounds: Rect) {
    this.bounds = bounds;
    this.emit('move');
  }
  /** As Electron closes a window: 'close', then destroyed, then 'closed'. */
  close() {
    this.emit('close');
    this.destroyed = true;
    this.emit('closed');
  }
}

describe('WindowLayoutKeeper', () => {
  let file: string;
  const errors: Error[] = [];
  const saved = () => readLayoutFile(file).layout.windows.map((w) => ({ kind: w.kind, display: w.display.id, bounds: w.bounds }));
  const keeper = (pinned = false) => new WindowLayoutKeeper(file, pinned, (e) => errors.push(e), 500);
  const track = (k: InstanceType<typeof WindowLayoutKeeper>, win: FakeWindow, kind: 'main' | 'board') => k.track(win as never, kind);

  beforeEach(() => {
    vi.useFakeTimers();
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-keeper-')), 'window-layout.json');
    errors.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('a pop-out dragged to the second monitor is saved once, a moment after the last move, with the monitor it is on', () => {
    const k = keeper();
    const main = new FakeWindow({ x: 0, y: 0, width: 1920, height: 1040 });
    const board = new FakeWindow({ x: 100, y: 100, width: 560, height: 900 });
    track(k, main, 'main');
    track(k, board, 'board');
    for (let x = 200; x <= 2200; x += 200) board.moveTo({ x, y: 100, width: 560, height: 900 });
    expect(fs.existsSync(file)).toBe(false);
    vi.advanceTimersByTime(500);
    expect(saved()).toEqual([
      { kind: 'main', display: 1, bounds: { x: 0, y: 0, width: 1920, height: 1040 } },
      { kind: 'board', display: 2, bounds: { x: 2200, y: 100, width: 560, height: 900 } },
    ]);
    expect(errors).toEqual([]);
  });

  it('quitting saves the pop-outs that are open, and the windows closing on the way out do not erase them', () => {
    const k = keeper();
    const main = new FakeWindow({ x: 0, y: 0, width: 1920, height: 1040 });
    const board = new FakeWindow({ x: 2000, y: 50, width: 560, height: 900 });
    track(k, main, 'main');
    track(k, board, 'board');
    k.saveAndFreeze(); // app 'before-quit'
    board.close();
    main.close();
    vi.runAllTimers();
    expect(saved().map((w) => w.kind)).toEqual(['main', 'board']);
  });

  it('a pop-out the supervisor closes is not reopened; closing the last window keeps it in the layout', () => {
    const k = keeper();
    const main = new FakeWindow({ x: 0, y: 0, width: 1920, height: 1040 });
    const board = new FakeWindow({ x: 2000, y: 50, width: 560, height: 900 });
    track(k, main, 'main');
    track(k, board, 'board');
    board.close();
    vi.advanceTimersByTime(500);
    expect(saved().map((w) => w.kind)).toEqual(['main']);
    main.moveTo({ x: 1920, y: 0, width: 1600, height: 900 });
    main.close(); // the last window: the app quits with it
    vi.runAllTimers();
    expect(saved()).toEqual([{ kind: 'main', display: 2, bounds: { x: 1920, y: 0, width: 1600, height: 900 } }]);
  });

  it('the second monitor unplugged while Vigie runs: the board left on it comes back onto the first, whole, and that is saved', () => {
    const k = keeper();
    const main = new FakeWindow({ x: 0, y: 0, width: 1920, height: 1040 });
    const board = new FakeWindow({ x: 2200, y: 100, width: 560, height: 900 });
    track(k, main, 'main');
    track(k, board, 'board');
    k.watchDisplays();
    const second = displays.pop()!;
    try {
      screenEvents.get('display-removed')!();
      expect(board.bounds).toEqual({ x: 1360, y: 100, width: 560, height: 900 });
      expect(main.bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
      vi.advanceTimersByTime(500);
      expect(saved()[1]).toEqual({ kind: 'board', display: 1, bounds: { x: 1360, y: 100, width: 560, height: 900 } });
    } finally {
      displays.push(second);
    }
  });

  it('a start with no display at all (headless) keeps the saved layout instead of saving an empty one', () => {
    const k = keeper();
    const main = new FakeWindow({ x: 2000, y: 0, width: 1600, height: 900 });
    track(k, main, 'main');
    k.saveAndFreeze();
    const before = fs.readFileSync(file, 'utf8');
    const all = displays.splice(0);
    try {
      const again = keeper();
      const headless = new FakeWindow({ x: 0, y: 0, width: 800, height: 600 });
      track(again, headless, 'main');
      headless.moveTo({ x: 10, y: 10, width: 800, height: 600 });
      vi.runAllTimers();
      again.saveAndFreeze();
      expect(fs.readFileSync(file, 'utf8')).toBe(before);
    } finally {
      displays.push(...all);
    }
  });

  it('a layout the machine policy pins is never saved over', () => {
    const k = keeper(true);
    const main = new FakeWindow({ x: 0, y: 0, width: 1920, height: 1080 });
    track(k, main, 'main');
    main.moveTo({ x: 10, y: 10, width: 800, height: 600 });
    vi.runAllTimers();
    k.saveAndFreeze();
    main.close();
    expect(fs.existsSync(file)).toBe(false);
  });
});
