import { z } from 'zod';
import type { WindowsPolicy } from '../core/policy/machinePolicy';

/**
 * Which window sits on which monitor, captured at runtime and put back at the next start. Pure:
 * no electron import, displays and windows come in as plain descriptions (Electron's Display and
 * a window's bounds fit them as they are), so every case runs in Vitest without a screen.
 * Coordinates are Electron's DIP points: a 4K monitor at scale 2 is 1920×1080 here, and a monitor
 * left of or above the primary has negative x or y.
 */

/** Panels that may open in a window of their own (renderer/app/panels.ts). */
export const POP_OUT_PANELS = ['incidents', 'details', 'board'] as const;
export type PopOutPanel = (typeof POP_OUT_PANELS)[number];
export const WINDOW_KINDS = ['main', ...POP_OUT_PANELS] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

const Rect = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(1), height: z.number().int().min(1) });
export type Rect = z.infer<typeof Rect>;

/** What Electron's screen.getAllDisplays() gives that placement needs (its Display type fits as is). */
export interface DisplayInfo {
  id: number;
  /** Empty where the platform gives none (often on Linux). */
  label: string;
  bounds: Rect;
  workArea: Rect;
  scaleFactor: number;
  internal: boolean;
}

/**
 * A display as remembered: its id, and enough of its description to recognise it when it comes
 * back with another id (a monitor re-plugged, a dock reconnected).
 */
const DisplayDescription = z.object({
  id: z.number().int(),
  label: z.string().max(200),
  bounds: Rect,
  scaleFactor: z.number().positive(),
  internal: z.boolean(),
});
export type DisplayDescription = z.infer<typeof DisplayDescription>;

const SavedWindow = z.object({
  kind: z.enum(WINDOW_KINDS),
  display: DisplayDescription,
  /** The window's normal (not maximized, not full-screen) bounds. */
  bounds: Rect,
  maximized: z.boolean(),
  fullScreen: z.boolean(),
});
export type SavedWindow = z.infer<typeof SavedWindow>;

export const WindowLayout = z.object({ version: z.literal(1), windows: z.array(SavedWindow).max(32) }).strict();
export type WindowLayout = z.infer<typeof WindowLayout>;

/** An open window as the capture sees it. */
export interface WindowState {
  kind: WindowKind;
  /** Normal bounds: where it goes back to when unmaximized. */
  bounds: Rect;
  maximized: boolean;
  fullScreen: boolean;
}

/** Where to open a window. */
export interface Placement extends WindowState {
  displayId: number;
  /** Why this display: the one it was on (matched by id or description), or a fallback. */
  how: 'id' | 'label' | 'position' | 'size' | 'overlap' | 'primary' | 'policy';
}

export const EMPTY_LAYOUT: WindowLayout = { version: 1, windows: [] };

function area(r: Rect): number {
  return r.width * r.height;
}

function intersection(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function distance(r: Rect, d: Rect): number {
  const cx = r.x + r.width / 2;
  const cy = r.y + r.height / 2;
  const dx = Math.max(d.x - cx, 0, cx - (d.x + d.width));
  const dy = Math.max(d.y - cy, 0, cy - (d.y + d.height));
  return Math.hypot(dx, dy);
}

/** The display a window is on: the one it overlaps most, else the nearest (as screen.getDisplayMatching). */
export function displayOf(bounds: Rect, displays: readonly DisplayInfo[]): DisplayInfo | undefined {
  let best: DisplayInfo | undefined;
  let bestOverlap = 0;
  for (const d of displays) {
    const overlap = intersection(bounds, d.bounds);
    if (overlap > bestOverlap) [best, bestOverlap] = [d, overlap];
  }
  if (best) return best;
  return [...displays].sort((a, b) => distance(bounds, a.bounds) - distance(bounds, b.bounds))[0];
}

function describe(d: DisplayInfo): DisplayDescription {
  return { id: d.id, label: d.label.slice(0, 200), bounds: { ...d.bounds }, scaleFactor: d.scaleFactor, internal: d.internal };
}

const round = (r: Rect): Rect => ({ x: Math.round(r.x), y: Math.round(r.y), width: Math.max(1, Math.round(r.width)), height: Math.max(1, Math.round(r.height)) });

/**
 * The layout of the windows open now, each with the display it is on. `current` is where a window
 * is now: a maximized window moved to another monitor (Win+Shift+→) is there, whatever its normal
 * bounds still say.
 */
export function captureLayout(windows: readonly (WindowState & { current?: Rect })[], displays: readonly DisplayInfo[]): WindowLayout {
  const saved: SavedWindow[] = [];
  for (const w of windows.slice(0, 32)) {
    const display = displayOf(w.current ?? w.bounds, displays);
    if (display) saved.push({ kind: w.kind, display: describe(display), bounds: round(w.bounds), maximized: w.maximized, fullScreen: w.fullScreen });
  }
  return { version: 1, windows: saved };
}

const sameRect = (a: Rect, b: Rect) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
const only = <T>(list: T[]): T | undefined => (list.length === 1 ? list[0] : undefined);

/**
 * The current display that is the remembered one: same id (unless both have labels and they
 * differ: ids can be handed to another monitor), else the same label, else the same place and
 * size, else the only one of the same size and scale. Displays in `claimed` (found by id for
 * another remembered display) are not candidates by description: with two identical monitors,
 * the one still there must not take the windows of the one unplugged. Undefined: not here.
 */
export function matchDisplay(
  saved: DisplayDescription,
  allDisplays: readonly DisplayInfo[],
  claimed: ReadonlySet<number> = new Set(),
): { display: DisplayInfo; how: 'id' | 'label' | 'position' | 'size' } | undefined {
  const byId = allDisplays.find((d) => d.id === saved.id && (!saved.label || !d.label || d.label === saved.label));
  if (byId) return { display: byId, how: 'id' };
  const displays = allDisplays.filter((d) => !claimed.has(d.id));
  const byLabel = saved.label ? only(displays.filter((d) => d.label === saved.label)) : undefined;
  if (byLabel) return { display: byLabel, how: 'label' };
  const byPosition = only(displays.filter((d) => sameRect(d.bounds, saved.bounds)));
  if (byPosition) return { display: byPosition, how: 'position' };
  const bySize = only(
    displays.filter((d) => d.bounds.width === saved.bounds.width && d.bounds.height === saved.bounds.height && d.scaleFactor === saved.scaleFactor && d.internal === saved.internal),
  );
  if (bySize) return { display: bySize, how: 'size' };
  return undefined;
}

/** Bounds moved and shrunk into a work area: never off-screen, never larger than the screen. */
export function clampInto(bounds: Rect, workArea: Rect): Rect {
  const width = Math.min(bounds.width, workArea.width);
  const height = Math.min(bounds.height, workArea.height);
  const x = Math.min(Math.max(bounds.x, workArea.x), workArea.x + workArea.width - width);
  const y = Math.min(Math.max(bounds.y, workArea.y), workArea.y + workArea.height - height);
  return { x, y, width, height };
}

function primaryOf(displays: readonly DisplayInfo[], primaryId: number): DisplayInfo {
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  if (!primary) throw new Error('No display: Electron reported none (a headless machine needs a virtual display, e.g. Xvfb).');
  return primary;
}

/** Where one remembered window opens on the displays present now. */
export function placeWindow(saved: SavedWindow, displays: readonly DisplayInfo[], primaryId: number, claimed?: ReadonlySet<number>): Placement {
  const matched = matchDisplay(saved.display, displays, claimed);
  let target: DisplayInfo;
  let how: Placement['how'];
  let bounds = saved.bounds;
  if (matched) {
    [target, how] = [matched.display, matched.how];
  } else {
    // The monitor is gone: a display the window still mostly overlaps (the arrangement changed)
    // keeps it where it was; otherwise the primary, at the same place relative to its corner.
    const overlapping = displays.filter((d) => intersection(saved.bounds, d.bounds) * 2 >= area(saved.bounds));
    target = overlapping[0] ?? primaryOf(displays, primaryId);
    how = overlapping[0] ? 'overlap' : 'primary';
  }
  if (how !== 'overlap') {
    // Same offset from the monitor's corner: a monitor that moved in the arrangement, or came
    // back under another id at another place, gets the window at the same spot on its glass.
    bounds = { ...bounds, x: target.bounds.x + (bounds.x - saved.display.bounds.x), y: target.bounds.y + (bounds.y - saved.display.bounds.y) };
  }
  return { kind: saved.kind, displayId: target.id, how, bounds: clampInto(bounds, target.workArea), maximized: saved.maximized, fullScreen: saved.fullScreen };
}

/**
 * A window left on no display at all (its monitor unplugged while Vigie runs; X11 leaves it
 * there): the bounds that bring it, whole, onto the primary. Null when it is visible somewhere.
 */
export function rescueOffScreen(bounds: Rect, displays: readonly DisplayInfo[], primaryId: number): Rect | null {
  if (displays.some((d) => intersection(bounds, d.workArea) > 0)) return null;
  return clampInto(bounds, primaryOf(displays, primaryId).workArea);
}

/** The main window with nothing remembered: maximized on the primary display. */
export function defaultPlacement(displays: readonly DisplayInfo[], primaryId: number): Placement {
  const primary = primaryOf(displays, primaryId);
  return { kind: 'main', displayId: primary.id, how: 'primary', bounds: { ...primary.workArea }, maximized: true, fullScreen: false };
}

/** Every remembered window placed on today's displays; the main window first, and always there. */
export function restoreLayout(layout: WindowLayout, displays: readonly DisplayInfo[], primaryId: number): Placement[] {
  const claimed = new Set(layout.windows.map((w) => w.display.id).filter((id) => displays.some((d) => d.id === id)));
  const placed = layout.windows.map((w) => placeWindow(w, displays, primaryId, claimed));
  const main = placed.find((p) => p.kind === 'main') ?? defaultPlacement(displays, primaryId);
  return [main, ...placed.filter((p) => p.kind !== 'main')];
}

/**
 * Displays as IT numbers them in the policy: 1, 2, 3… from left to right, then top to bottom
 * (the OS's own numbering differs between Windows, macOS and X11, and is not visible to Vigie).
 */
export function numberedDisplays(displays: readonly DisplayInfo[]): DisplayInfo[] {
  return [...displays].sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y);
}

/** One line per display, for the log: what IT can name in the policy. */
export function describeDisplays(displays: readonly DisplayInfo[]): string {
  return numberedDisplays(displays)
    .map((d, i) => `${i + 1} = ${d.label ? `"${d.label}" ` : ''}${d.bounds.width}×${d.bounds.height} at ${d.bounds.x},${d.bounds.y} (scale ${d.scaleFactor})`)
    .join('; ');
}

/**
 * The layout the machine policy pins (a wall PC): each named window full screen (or maximized)
 * on its display, chosen by number or label. A display the policy names that is not connected
 * gives the primary and a problem to log, never a window off-screen.
 */
export function policyLayout(policy: WindowsPolicy, displays: readonly DisplayInfo[], primaryId: number): { placements: Placement[]; problems: string[] } {
  const numbered = numberedDisplays(displays);
  const problems: string[] = [];
  const placements: Placement[] = [];
  for (const kind of WINDOW_KINDS) {
    const pin = policy[kind];
    if (!pin) continue;
    const wanted = typeof pin.display === 'number' ? numbered[pin.display - 1] : displays.find((d) => d.label.trim().toLowerCase() === String(pin.display).trim().toLowerCase());
    const display = wanted ?? primaryOf(displays, primaryId);
    if (!wanted) {
      problems.push(
        `The machine policy puts the ${kind} window on display ${JSON.stringify(pin.display)}, which is not connected: it opens on the primary display. Displays here: ${describeDisplays(displays)}. Connect that display or fix windows.${kind}.display in the policy.`,
      );
    }
    placements.push({ kind, displayId: display.id, how: 'policy', bounds: { ...display.workArea }, maximized: !pin.fullScreen, fullScreen: pin.fullScreen });
  }
  if (!placements.some((p) => p.kind === 'main')) placements.unshift(defaultPlacement(displays, primaryId));
  return { placements, problems };
}

/**
 * A layout file's text, checked. Damaged, foreign or from another Vigie: the default layout and
 * the reason, never an exception (the windows must open whatever the file says).
 */
export function parseLayout(text: string): { layout: WindowLayout; problem: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { layout: EMPTY_LAYOUT, problem: `it is not valid JSON (${(error as Error).message})` };
  }
  const parsed = WindowLayout.safeParse(json);
  if (parsed.success) return { layout: parsed.data, problem: null };
  const issue = parsed.error.issues[0]!;
  return { layout: EMPTY_LAYOUT, problem: `${issue.path.join('.') || '(file)'}: ${issue.message}` };
}
