import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MachinePolicy, WindowsPolicy } from '../core/policy/machinePolicy';
import { captureLayout, restoreLayout, policyLayout, rescueOffScreen, WINDOW_KINDS, type DisplayInfo, type Placement, type Rect, type WindowLayout } from './windowLayout';
import { quarantineLayoutFile, readLayoutFile, writeLayoutFile } from './windowLayoutFile';

/**
 * Realistic monitor sets, as Electron's screen.getAllDisplays() reports them (DIP points; the work
 * area is the display minus the taskbar). The oracle for "visible" is a plain containment check
 * written here, not the module's own clamp.
 */
const laptop: DisplayInfo = {
  id: 2528732444,
  label: 'Built-in display',
  // A 1920×1080 panel at 125 %: 1536×864 DIP.
  bounds: { x: 0, y: 0, width: 1536, height: 864 },
  workArea: { x: 0, y: 0, width: 1536, height: 824 },
  scaleFactor: 1.25,
  internal: true,
};
// Two identical office monitors: same label, so the label alone cannot tell them apart.
const left: DisplayInfo = { id: 1001, label: 'DELL P2419H', bounds: { x: 1536, y: 0, width: 1920, height: 1080 }, workArea: { x: 1536, y: 0, width: 1920, height: 1040 }, scaleFactor: 1, internal: false };
const right: DisplayInfo = { id: 1002, label: 'DELL P2419H', bounds: { x: 3456, y: 0, width: 1920, height: 1080 }, workArea: { x: 3456, y: 0, width: 1920, height: 1040 }, scaleFactor: 1, internal: false };
const desk = [laptop, left, right];

function fullyInside(bounds: Rect, area: Rect): boolean {
  return bounds.x >= area.x && bounds.y >= area.y && bounds.x + bounds.width <= area.x + area.width && bounds.y + bounds.height <= area.y + area.height;
}

/** The layout as it goes through the file: what the next start really reads. */
function throughFile(layout: WindowLayout): WindowLayout {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-layout-')), 'window-layout.json');
  writeLayoutFile(file, layout);
  const read = readLayoutFile(file);
  expect(read.problem).toBeNull();
  return read.layout;
}

const byKind = (placements: Placement[], kind: Placement['kind']) => placements.find((p) => p.kind === kind)!;

describe('window layout: each window back on the monitor it was on', () => {
  const shift = captureLayout(
    [
      { kind: 'main', bounds: { x: 1600, y: 40, width: 1600, height: 900 }, current: { x: 1536, y: 0, width: 1920, height: 1040 }, maximized: true, fullScreen: false },
      { kind: 'board', bounds: { x: 3500, y: 100, width: 560, height: 900 }, maximized: false, fullScreen: false },
      { kind: 'details', bounds: { x: 900, y: 20, width: 560, height: 780 }, maximized: false, fullScreen: false },
    ],
    desk,
  );

  it('laptop and two monitors: after a restart the map is maximized on the left monitor, the board on the right one, the details on the laptop', () => {
    const placed = restoreLayout(throughFile(shift), desk, laptop.id);
    expect(placed.map((p) => p.kind)).toEqual(['main', 'board', 'details']);
    expect(byKind(placed, 'main')).toMatchObject({ displayId: left.id, maximized: true, bounds: { x: 1600, y: 40, width: 1600, height: 900 } });
    expect(byKind(placed, 'board')).toMatchObject({ displayId: right.id, bounds: { x: 3500, y: 100, width: 560, height: 900 } });
    expect(byKind(placed, 'details')).toMatchObject({ displayId: laptop.id, bounds: { x: 900, y: 20, width: 560, height: 780 } });
  });

  it('the right monitor unplugged: the board opens fully visible on the primary (the laptop), the others where they were', () => {
    const placed = restoreLayout(shift, [laptop, left], laptop.id);
    const board = byKind(placed, 'board');
    expect(board.displayId).toBe(laptop.id);
    expect(fullyInside(board.bounds, laptop.workArea)).toBe(true);
    expect(byKind(placed, 'main').displayId).toBe(left.id);
  });

  it('a monitor re-plugged comes back with a new id: it is recognised by its description, not taken for its twin, and the window returns to it', () => {
    const replugged = { ...right, id: 5077 };
    const placed = restoreLayout(shift, [laptop, left, replugged], laptop.id);
    expect(byKind(placed, 'board')).toMatchObject({ displayId: 5077, bounds: { x: 3500, y: 100, width: 560, height: 900 } });
    expect(byKind(placed, 'main').displayId).toBe(left.id);
    // On Linux, Electron often gives no label: the same place and size still recognise it.
    const unlabelled = (d: DisplayInfo) => ({ ...d, label: '' });
    const linux = captureLayout([{ kind: 'board', bounds: { x: 3500, y: 100, width: 560, height: 900 }, maximized: false, fullScreen: false }], desk.map(unlabelled));
    expect(restoreLayout(linux, [laptop, left, { ...replugged, label: '' }].map(unlabelled), laptop.id)[1]).toMatchObject({ displayId: 5077, how: 'position' });
  });

  it('a monitor with a label of its own, re-plugged under a new id on the other side of the laptop: the window follows it to the same spot on its glass', () => {
    const lg: DisplayInfo = { id: 77, label: 'LG 27UL850', bounds: { x: 1536, y: 0, width: 1920, height: 1080 }, workArea: { x: 1536, y: 0, width: 1920, height: 1040 }, scaleFactor: 1, internal: false };
    const layout = captureLayout([{ kind: 'incidents', bounds: { x: 1736, y: 100, width: 560, height: 900 }, maximized: false, fullScreen: false }], [laptop, lg]);
    const movedLeft = { ...lg, id: 78, bounds: { x: -1920, y: 0, width: 1920, height: 1080 }, workArea: { x: -1920, y: 0, width: 1920, height: 1040 } };
    const placed = restoreLayout(layout, [laptop, movedLeft], laptop.id);
    expect(byKind(placed, 'incidents')).toMatchObject({ displayId: 78, how: 'label', bounds: { x: -1720, y: 100, width: 560, height: 900 } });
  });

  it('a monitor unplugged while Vigie runs: the board left in the void comes back whole onto the primary; windows still visible stay put', () => {
    const lost = rescueOffScreen({ x: 3500, y: 100, width: 560, height: 900 }, [laptop, left], laptop.id)!;
    expect(fullyInside(lost, laptop.workArea)).toBe(true);
    expect(rescueOffScreen({ x: 3300, y: 100, width: 560, height: 900 }, [laptop, left], laptop.id)).toBeNull();
  });

  it('without a saved layout the main window opens maximized on the primary display', () => {
    expect(restoreLayout({ version: 1, windows: [] }, desk, left.id)).toEqual([{ kind: 'main', displayId: left.id, how: 'primary', bounds: left.workArea, maximized: true, fullScreen: false }]);
  });
});

describe('window layout: mixed DPI, negative coordinates, resolution changes', () => {
  const uhd: DisplayInfo = { id: 3, label: 'LG 27UK850', bounds: { x: 1920, y: 0, width: 1920, height: 1080 }, workArea: { x: 1920, y: 0, width: 1920, height: 1080 }, scaleFactor: 2, internal: false };
  const primary: DisplayInfo = { id: 1, label: 'HP E24', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1, internal: false };

  it('a 4K monitor at scale 2: the pop-out comes back at the same DIP bounds on it', () => {
    const layout = captureLayout([{ kind: 'board', bounds: { x: 2100, y: 80, width: 900, height: 960 }, maximized: false, fullScreen: true }], [primary, uhd]);
    expect(layout.windows[0]!.display).toMatchObject({ id: 3, scaleFactor: 2 });
    expect(restoreLayout(layout, [primary, uhd], 1)[1]).toMatchObject({ kind: 'board', displayId: 3, fullScreen: true, bounds: { x: 2100, y: 80, width: 900, height: 960 } });
  });

  it('the 4K monitor switched from 100 % to 200 % (3840×2160 → 1920×1080 DIP): a big window shrinks into it, whole', () => {
    const at100 = { ...uhd, bounds: { ...uhd.bounds, width: 3840, height: 2160 }, workArea: { ...uhd.workArea, width: 3840, height: 2160 }, scaleFactor: 1 };
    const layout = captureLayout([{ kind: 'main', bounds: { x: 2400, y: 300, width: 3000, height: 1800 }, maximized: false, fullScreen: false }], [primary, at100]);
    const main = restoreLayout(layout, [primary, uhd], 1)[0]!;
    expect(main.displayId).toBe(3);
    expect(main.bounds.width).toBeLessThanOrEqual(1920);
    expect(main.bounds.height).toBeLessThanOrEqual(1080);
    expect(fullyInside(main.bounds, uhd.workArea)).toBe(true);
  });

  it('a monitor left of and above the primary (negative x and y): the window returns there exactly; with it gone, it opens fully on the primary', () => {
    const upperLeft: DisplayInfo = { id: 9, label: '', bounds: { x: -2560, y: -300, width: 2560, height: 1440 }, workArea: { x: -2560, y: -300, width: 2560, height: 1400 }, scaleFactor: 1, internal: false };
    const layout = captureLayout([{ kind: 'details', bounds: { x: -2400, y: -250, width: 700, height: 1300 }, maximized: false, fullScreen: false }], [primary, upperLeft]);
    expect(restoreLayout(layout, [primary, upperLeft], 1)[1]).toMatchObject({ displayId: 9, bounds: { x: -2400, y: -250, width: 700, height: 1300 } });
    const alone = restoreLayout(layout, [primary], 1)[1]!;
    expect(alone.displayId).toBe(1);
    expect(fullyInside(alone.bounds, primary.workArea)).toBe(true);
    expect(alone.bounds.x).toBeGreaterThanOrEqual(0);
  });

  it('the primary itself lowered to 1366×768: the main window shrinks into the new work area instead of running off the bottom right', () => {
    const layout = captureLayout([{ kind: 'main', bounds: { x: 100, y: 60, width: 1700, height: 950 }, maximized: false, fullScreen: false }], [primary]);
    const small = { ...primary, bounds: { x: 0, y: 0, width: 1366, height: 768 }, workArea: { x: 0, y: 0, width: 1366, height: 728 } };
    const main = restoreLayout(layout, [small], 1)[0]!;
    expect(main.displayId).toBe(1);
    expect(main.bounds).toEqual({ x: 0, y: 0, width: 1366, height: 728 });
  });
});

describe('window layout file', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-layout-'));

  it('a corrupt file gives the default layout and a reason, and is kept aside for support', () => {
    const file = path.join(dir(), 'window-layout.json');
    fs.writeFileSync(file, '{"version":1,"windows":[{"kind":"main",');
    const read = readLayoutFile(file);
    expect(read.problem).toMatch(/not valid JSON/);
    expect(restoreLayout(read.layout, desk, laptop.id)).toEqual([{ kind: 'main', displayId: laptop.id, how: 'primary', bounds: laptop.workArea, maximized: true, fullScreen: false }]);
    const aside = quarantineLayoutFile(file)!;
    expect(fs.readFileSync(aside, 'utf8')).toBe('{"version":1,"windows":[{"kind":"main",');
    expect(fs.existsSync(file)).toBe(false);
  });

  it("a file of an older shape, or another program's, gives the default layout and names what is wrong", () => {
    const file = path.join(dir(), 'window-layout.json');
    // What electron-window-state and similar helpers write: one window, no display.
    fs.writeFileSync(file, JSON.stringify({ x: 10, y: 10, width: 800, height: 600, isMaximized: false }));
    expect(readLayoutFile(file)).toEqual({ layout: { version: 1, windows: [] }, problem: expect.stringMatching(/version/) });
    fs.writeFileSync(file, JSON.stringify({ version: 1, windows: [{ kind: 'settings', bounds: { x: 0, y: 0, width: 10, height: 10 } }] }));
    expect(readLayoutFile(file).problem).toMatch(/windows\.0\.kind/);
  });

  it('a missing file is the default layout, silently (a first start)', () => {
    expect(readLayoutFile(path.join(dir(), 'nope', 'window-layout.json'))).toEqual({ layout: { version: 1, windows: [] }, problem: null });
  });

  it('writes whole or not at all: no temporary file left, and a refused layout leaves the previous file as it was', () => {
    const folder = dir();
    const file = path.join(folder, 'window-layout.json');
    const good = captureLayout([{ kind: 'main', bounds: { x: 10, y: 10, width: 800, height: 600 }, maximized: false, fullScreen: false }], desk);
    writeLayoutFile(file, good);
    expect(fs.readdirSync(folder)).toEqual(['window-layout.json']);
    const before = fs.readFileSync(file, 'utf8');
    expect(() => writeLayoutFile(file, { version: 1, windows: [{ ...good.windows[0]!, kind: 'nope' as 'main' }] })).toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(readLayoutFile(file).layout).toEqual(good);
  });
});

describe('a wall PC pinned by the machine policy', () => {
  const console1: DisplayInfo = { id: 1, label: 'Dell U2419H', bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1, internal: false };
  const wall: DisplayInfo = { id: 2, label: 'SAMSUNG QM85R', bounds: { x: 1920, y: 0, width: 3840, height: 2160 }, workArea: { x: 1920, y: 0, width: 3840, height: 2160 }, scaleFactor: 1, internal: false };

  it('the main window opens full screen on the wall output, named by number (left to right) or by label', () => {
    // Electron lists the wall first here: numbering is by position, not by Electron's order.
    for (const pin of [{ display: 2 }, { display: 'samsung qm85r' }]) {
      const policy = MachinePolicy.parse({ windows: { main: pin } }).windows!;
      const { placements, problems } = policyLayout(policy, [wall, console1], 1);
      expect(problems).toEqual([]);
      expect(placements).toEqual([{ kind: 'main', displayId: 2, how: 'policy', bounds: wall.workArea, maximized: false, fullScreen: true }]);
    }
  });

  it('a pop-out pinned too; a display the policy names that is not connected gives the primary and a log line that lists the displays', () => {
    const policy = WindowsPolicy.parse({ main: { display: 3 }, board: { display: 1, fullScreen: false } });
    const { placements, problems } = policyLayout(policy, [console1, wall], 1);
    expect(placements).toMatchObject([
      { kind: 'main', displayId: 1, fullScreen: true },
      { kind: 'board', displayId: 1, fullScreen: false, maximized: true },
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('display 3, which is not connected');
    expect(problems[0]).toContain('2 = "SAMSUNG QM85R" 3840×2160 at 1920,0');
  });

  it('the policy section is checked like the rest of the policy: a typo is refused, not ignored', () => {
    expect(MachinePolicy.safeParse({ windows: { main: { monitor: 2 } } }).success).toBe(false);
    expect(MachinePolicy.safeParse({ windows: { settings: { display: 1 } } }).success).toBe(false);
    expect(MachinePolicy.safeParse({ windows: { main: { display: 0 } } }).success).toBe(false);
    expect(Object.keys(WindowsPolicy.shape)).toEqual([...WINDOW_KINDS]);
  });
});
