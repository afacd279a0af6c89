/**
 * Each priority has its own shape as well as its colour, so that it reads without colour (a
 * colour-blind supervisor, a washed-out wall, a grey printout): P1 a triangle (warning), P2 a
 * diamond, P3 a circle, P4 a square. Lists show the shape beside the "P1" label; the map draws
 * the same shapes (map/layers/incidents.tsx).
 */
export const PRIORITY_SHAPES: Record<number, string> = { 1: '▲', 2: '◆', 3: '●', 4: '■' };
