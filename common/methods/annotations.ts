import { z } from 'zod';
import { Annotation, AnnotationFields, AnnotationGeometry, GeofenceAlert } from '../domain/annotation';
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
    params: z.object({ id: z.string().optional(), fields: AnnotationFields, baseVersion: z.number().int().min(1).optional() }),
    result: Annotation,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Create an annotation, or edit one (by id; refused if it changed since baseVersion)',
  }),
  'annotations.reshape': method({
    params: z.object({
      id: z.string(),
      /** The version the edit was made on: refused if someone changed the annotation since. */
      baseVersion: z.number().int().min(1),
      geometry: AnnotationGeometry,
      /** The seq of the reshape this one undoes, when it is an undo. */
      undoOf: z.number().int().optional(),
    }),
    result: Annotation,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Move the vertices of an annotation, move it whole or resize a circle (a logged, versioned edit)',
  }),
  'annotations.delete': method({
    params: z.object({ id: z.string() }),
    result: Annotation,
    roles: OPERATOR_ROLES,
    writes: true,
    replicates: 'hub',
    summary: 'Delete an annotation (soft: kept in the log)',
  }),
  'geofences.alerts': method({
    params: z.object({ limit: z.number().int().min(1).max(500).default(50) }).prefault({}),
    result: z.array(GeofenceAlert),
    roles: DESK_ROLES,
    summary: 'Latest geofence alerts, most recent first',
  }),
} as const;
