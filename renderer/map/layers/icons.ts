/**
 * Map symbols drawn once on a canvas at start: no sprite file to fetch, so the map stays offline.
 * White shapes used as masks, tinted per item by deck.gl (`mask: true`).
 */
const SIZE = 64;

export const ICON_MAPPING = {
  arrow: { x: 0, y: 0, width: SIZE, height: SIZE, mask: true, anchorY: SIZE / 2 },
  camera: { x: SIZE, y: 0, width: SIZE, height: SIZE, mask: true, anchorY: SIZE / 2 },
};

let atlas: HTMLCanvasElement | null = null;

export function iconAtlas(): HTMLCanvasElement {
  if (atlas) return atlas;
  const canvas = document.createElement('canvas');
  canvas.width = SIZE * 2;
  canvas.height = SIZE;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#fff';
  // Arrow pointing north; deck.gl rotates it by the unit's heading.
  g.beginPath();
  g.moveTo(32, 4);
  g.lineTo(56, 58);
  g.lineTo(32, 44);
  g.lineTo(8, 58);
  g.closePath();
  g.fill();
  // Camera: a body and a lens.
  g.fillRect(SIZE + 8, 20, 36, 26);
  g.beginPath();
  g.moveTo(SIZE + 44, 28);
  g.lineTo(SIZE + 58, 20);
  g.lineTo(SIZE + 58, 46);
  g.lineTo(SIZE + 44, 38);
  g.closePath();
  g.fill();
  atlas = canvas;
  return canvas;
}

export type RGBA = [number, number, number, number];

export const withOpacity = (c: RGBA, opacity: number): RGBA => [c[0], c[1], c[2], Math.round(c[3] * opacity)];
