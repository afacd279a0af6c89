import type { MapboxOverlay } from '@deck.gl/mapbox';

/** What luma.gl's animation loop asks frames from (its experimental `animationFrameProvider`, luma.gl 9.4). */
interface FrameSource {
  requestAnimationFrame(callback: (time: number) => void): number;
  cancelAnimationFrame(id: number): void;
}

interface PacedLoop {
  setProps(props: { animationFrameProvider: FrameSource }): unknown;
}

export interface FramePacer {
  /** Something may need drawing (layers changed, the pointer or the camera moved): back to every frame now. */
  wake(): void;
  /** A frame was drawn (deck.gl's onAfterRender). */
  drew(): void;
}

/** Every frame while the map draws and for this long after its last draw. */
const BUSY_MS = 100;
/** Then one look every this many ms (what a layer loading its data or icons waits at most to be drawn). */
const QUIET_CHECK_MS = 200;

/**
 * deck.gl's animation loop asks the browser for a frame 60 times a second for as long as the map
 * exists, only to find most of the time that nothing needs drawing (visgl/deck.gl#6961, #9084).
 * Each of those frames still runs script, style, layout and a compositor frame: on a control-room
 * desk left on the picture all night, or in software WebGL, that is CPU spent on nothing
 * (`node bench/idle.mjs`). This paces the loop: every frame while deck.gl draws and for BUSY_MS
 * after, then five looks a second until something wakes it. Camera moves draw at once whatever the
 * pace (MapboxOverlay redraws on MapLibre's own render), and layer changes and the pointer wake it,
 * so only what deck.gl starts by itself (an icon atlas loaded) can wait, at most QUIET_CHECK_MS.
 */
export function paceFrames(overlay: MapboxOverlay): FramePacer | null {
  const loop = (overlay as unknown as { _deck?: { animationLoop?: PacedLoop | null } })._deck?.animationLoop;
  if (!loop) return null;
  let lastDraw = performance.now();
  let next = 1;
  let pending: { id: number; callback: (time: number) => void; frame: number | null; timer: ReturnType<typeof setTimeout> | null } | null = null;

  const frame = (callback: (time: number) => void) =>
    requestAnimationFrame((time) => {
      pending = null;
      callback(time);
    });
  const source: FrameSource = {
    requestAnimationFrame(callback) {
      const id = next++;
      const quiet = performance.now() - lastDraw > BUSY_MS;
      pending = { id, callback, frame: quiet ? null : frame(callback), timer: null };
      if (quiet) {
        const p = pending;
        p.timer = setTimeout(() => {
          p.timer = null;
          p.frame = frame(callback);
        }, QUIET_CHECK_MS);
      }
      return id;
    },
    cancelAnimationFrame(id) {
      if (pending?.id !== id) return;
      if (pending.frame !== null) cancelAnimationFrame(pending.frame);
      if (pending.timer !== null) clearTimeout(pending.timer);
      pending = null;
    },
  };
  loop.setProps({ animationFrameProvider: source });
  return {
    wake() {
      lastDraw = performance.now();
      const p = pending;
      if (p?.timer == null) return;
      clearTimeout(p.timer);
      p.timer = null;
      p.frame = frame(p.callback);
    },
    drew() {
      lastDraw = performance.now();
    },
  };
}
