import { PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Annotation } from '../../../common/domain/annotation';
import { circleRing, metresBetween } from '../../../common/geo/local';

type RGBA = [number, number, number, number];
type LonLat = [number, number];

export function hexColor(hex: string, alpha = 255): RGBA {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** What is drawn for one annotation, or the sketch in progress (`id` "draft"). */
export interface Drawn {
  id: string;
  shape: Annotation['shape'];
  ring?: LonLat[];
  path?: LonLat[];
  at: LonLat;
  label: string;
  color: string;
  geofence: boolean;
}

export function drawnOf(a: Pick<Annotation, 'id' | 'shape' | 'coordinates' | 'radiusM' | 'label' | 'color' | 'geofence'>): Drawn {
  const first = a.coordinates[0] as LonLat;
  const base = { id: a.id, shape: a.shape, at: first, label: a.label, color: a.color, geofence: a.geofence };
  if (a.shape === 'circle') return { ...base, ring: circleRing(first, a.radiusM ?? 0) };
  if (a.shape === 'polygon') {
    // Label at the vertices' mean: inside for the convex-ish areas people draw around a place.
    const n = a.coordinates.length;
    const at: LonLat = [a.coordinates.reduce((s, c) => s + c[0], 0) / n, a.coordinates.reduce((s, c) => s + c[1], 0) / n];
    return { ...base, ring: a.coordinates as LonLat[], at };
  }
  if (a.shape === 'line') return { ...base, path: a.coordinates as LonLat[], at: a.coordinates[Math.floor(a.coordinates.length / 2)] as LonLat };
  return base;
}

/**
 * Annotation layers: areas (polygons, circles; geofences dashed-looking with a thicker edge),
 * lines, points, and labels. Built from the annotations store; `data` changes only when an
 * annotation does.
 */
export function annotationLayers(drawn: Drawn[]) {
  const areas = drawn.filter((d) => d.ring);
  const paths = drawn.filter((d) => d.path);
  const points = drawn.filter((d) => d.shape === 'point');
  const labels = drawn.filter((d) => d.label);
  return [
    new PolygonLayer<Drawn>({
      id: 'annotation-areas',
      data: areas,
      getPolygon: (d) => d.ring!,
      getFillColor: (d) => hexColor(d.color, d.geofence ? 40 : 60),
      getLineColor: (d) => hexColor(d.color, 230),
      getLineWidth: (d) => (d.geofence ? 3 : 2),
      lineWidthUnits: 'pixels',
      stroked: true,
      filled: true,
    }),
    new PathLayer<Drawn>({
      id: 'annotation-lines',
      data: paths,
      getPath: (d) => d.path!,
      getColor: (d) => hexColor(d.color),
      getWidth: 3,
      widthUnits: 'pixels',
    }),
    new ScatterplotLayer<Drawn>({
      id: 'annotation-points',
      data: points,
      getPosition: (d) => d.at,
      getFillColor: (d) => hexColor(d.color),
      getLineColor: [10, 14, 20, 255],
      getRadius: 6,
      radiusUnits: 'pixels',
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
    }),
    new TextLayer<Drawn>({
      id: 'annotation-labels',
      data: labels,
      getPosition: (d) => d.at,
      getText: (d) => d.label,
      getColor: [230, 237, 245, 255],
      getSize: 13,
      getPixelOffset: (d) => (d.shape === 'text' ? [0, 0] : [0, -14]),
      background: true,
      getBackgroundColor: [11, 17, 24, 200],
      backgroundPadding: [4, 2],
      fontFamily: 'DejaVu Sans, sans-serif',
      characterSet: 'auto',
    }),
  ];
}

/** The sketch being drawn: its edges so far and its vertices. */
export function draftLayers(draft: { shape: Annotation['shape']; points: LonLat[] } | null) {
  if (!draft || draft.points.length === 0) return [];
  const { shape, points } = draft;
  const path = shape === 'circle' && points.length === 2 ? circleRing(points[0]!, metresBetween(points[0]!, points[1]!), 64, true) : shape === 'polygon' && points.length > 2 ? [...points, points[0]!] : points;
  return [
    new PathLayer<{ path: LonLat[] }>({ id: 'annotation-draft-path', data: [{ path }], getPath: (d) => d.path, getColor: [255, 255, 255, 220], getWidth: 2, widthUnits: 'pixels' }),
    new ScatterplotLayer<LonLat>({ id: 'annotation-draft-vertices', data: points, getPosition: (d) => d, getFillColor: [255, 255, 255, 255], getRadius: 4, radiusUnits: 'pixels' }),
  ];
}
