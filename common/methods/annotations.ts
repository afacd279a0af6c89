import { z } from 'zod';
import { Annotation, AnnotationFields, GeofenceAlert } from '../domain/annotation';
import { DESK_ROLES, OPERATOR_ROLES } from '../domain/roles';
import { method } from './method';

/** Drawings on the map (points, lines, polygons, circles, text), some of them geofences. */
export const annotationMethods = {
  'annotations.list': method({
    params: z.object({ includeDeleted: z.boolean().default(false) }).prefault({}),
    result: z.array(Annotation),
    roles: DESK_ROLES,
    summary: 'Annotations on the map (deleted ones only when asked)',
  }),
  'annotations.save': method({
    params: z.object({ id: z.string().optional(), fields: AnnotationFields }),
    result: Annotation,
    roles: OPERATOR_ROLES,
    writes: true,
    summary: 'Create an annotation, or edit one (by id)',
  }),
  'annotations.delete': method({
    params: z.object({ id: z.string() }),
    result: Annotation,
    roles: OPERATOR_ROLES,
    writes: true,
    summary: 'Delete an annotation (soft: kept in the log)',
  }),
  'geofences.alerts': method({
    params: z.object({ limit: z.number().int().min(1).max(500).default(50) }).prefault({}),
    result: z.array(GeofenceAlert),
    roles: DESK_ROLES,
    summary: 'Latest geofence alerts, most recent first',
  }),
} as const;
