import type { annotationMethods } from '../../../common/methods/annotations';
import type { VigieCore } from '../core';
import type { DomainHandlers } from './handlers';

export function annotationHandlers(core: VigieCore): DomainHandlers<typeof annotationMethods> {
  const a = core.annotations;
  return {
    'annotations.list': ({ includeDeleted }) => core.store.annotations.list(includeDeleted),
    'annotations.save': ({ id, fields, baseVersion }, ctx) => a.save(ctx, id, fields, baseVersion !== undefined ? { baseVersion } : {}),
    'annotations.reshape': ({ id, baseVersion, geometry, undoOf }, ctx) => a.reshape(ctx, id, baseVersion, geometry, undoOf),
    'annotations.delete': ({ id }, ctx) => a.delete(ctx, id),
    'geofences.alerts': ({ limit }) => a.alerts(limit),
  };
}
