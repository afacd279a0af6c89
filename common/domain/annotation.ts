import { z } from 'zod';
import { EpochMs, Lat, Lon } from './incident';

export const ANNOTATION_SHAPES = ['point', 'line', 'polygon', 'circle', 'text'] as const;
export const AnnotationShape = z.enum(ANNOTATION_SHAPES);
export type AnnotationShape = z.infer<typeof AnnotationShape>;

export const Position = z.tuple([Lon, Lat]);

/** What an operator draws: its shape and style, what it is about, and when it holds. */
const AnnotationBase = z.object({
  shape: AnnotationShape,
  /** point, text, circle: one position (the centre); line: two or more; polygon: three or more (not closed). */
  coordinates: z.array(Position).min(1).max(1000),
  /** Circles only, metres. */
  radiusM: z.number().positive().max(50_000).optional(),
  label: z.string().trim().max(200).default(''),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #4da3ff').default('#4da3ff'),
  incidentId: z.string().max(300).optional(),
  validFrom: EpochMs.optional(),
  validTo: EpochMs.optional(),
  /** Polygons and circles only: raise an alert when an incident appears inside, or a unit enters or leaves. */
  geofence: z.boolean().default(false),
});

const MIN_POINTS: Record<AnnotationShape, [number, number]> = { point: [1, 1], text: [1, 1], circle: [1, 1], line: [2, 1000], polygon: [3, 1000] };

export const AnnotationFields = AnnotationBase.superRefine((a, ctx) => {
  const [min, max] = MIN_POINTS[a.shape];
  if (a.coordinates.length < min || a.coordinates.length > max) {
    ctx.addIssue({ code: 'custom', path: ['coordinates'], message: min === max ? `a ${a.shape} has exactly ${min} position` : `a ${a.shape} needs at least ${min} positions` });
  }
  if (a.shape === 'circle' && a.radiusM === undefined) ctx.addIssue({ code: 'custom', path: ['radiusM'], message: 'a circle needs a radius' });
  if (a.shape === 'text' && !a.label) ctx.addIssue({ code: 'custom', path: ['label'], message: 'a text annotation needs its text' });
  if (a.geofence && a.shape !== 'polygon' && a.shape !== 'circle') ctx.addIssue({ code: 'custom', path: ['geofence'], message: 'only a polygon or a circle can be a geofence' });
  if (a.validFrom !== undefined && a.validTo !== undefined && a.validTo <= a.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must be after validFrom' });
});
export type AnnotationFields = z.output<typeof AnnotationFields>;

export const Annotation = AnnotationBase.extend({
  id: z.string(),
  createdBy: z.string(),
  createdAt: EpochMs,
  updatedBy: z.string(),
  updatedAt: EpochMs,
  /** Deleted annotations are kept (soft delete): the log and replay still have them. */
  deleted: z.boolean(),
  seq: z.number().int(),
  /**
   * 1 when created, one more at each edit (label, style or shape). An edit names the version it
   * was made on, and is refused if the annotation has moved on since: two seats (or a hub) never
   * silently overwrite each other's drawing.
   */
  version: z.number().int().min(1),
});
export type Annotation = z.infer<typeof Annotation>;

/** A change of geometry only: moved vertices, a moved shape, a resized circle. */
export const AnnotationGeometry = z.object({
  coordinates: z.array(Position).min(1).max(1000),
  radiusM: z.number().positive().max(50_000).optional(),
});
export type AnnotationGeometry = z.infer<typeof AnnotationGeometry>;

export const GeofenceAlert = z.object({
  seq: z.number().int(),
  t: EpochMs,
  annotationId: z.string(),
  fence: z.string(),
  kind: z.enum(['incident_inside', 'unit_entered', 'unit_left']),
  subjectId: z.string(),
  subject: z.string(),
});
export type GeofenceAlert = z.infer<typeof GeofenceAlert>;
