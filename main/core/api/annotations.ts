import type { annotationMethods } from '../../../common/methods/annotations';
import type { AnnotationService } from '../annotations/annotations';
import type { Store } from '../store';
import type { DomainHandlers } from './handlers';

export interface AnnotationDeps {
  annotations: Pick<Store['annotations'], 'list'>;
  service: Pick<AnnotationService, 'save' | 'reshape' | 'delete' | 'alerts'>;
}

export function annotationHandlers({ annotations, service: a }: AnnotationDeps): DomainHandlers<typeof annotationMethods> {
  return {
    'annotations.list': ({ includeDeleted }) => annotations.list(includeDeleted),
    'annotations.save': ({ id, fields, baseVersion }, ctx) => a.save(ctx, id, fields, baseVersion !== undefined ? { baseVersion } : {}),
    'annotations.reshape': ({ id, baseVersion, geometry, undoOf }, ctx) => a.reshape(ctx, id, baseVersion, geometry, undoOf),
    'annotations.delete': ({ id }, ctx) => a.delete(ctx, id),
    'geofences.alerts': ({ limit }) => a.alerts(limit),
  };
}
