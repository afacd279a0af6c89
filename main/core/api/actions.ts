import type { actionMethods } from '../../../common/methods/actions';
import type { OperatorActions } from '../actions/operatorActions';
import type { DomainHandlers } from './handlers';

type IncidentActions = Pick<OperatorActions, 'create' | 'acknowledge' | 'markOnScene' | 'close' | 'reopen' | 'merge' | 'setPriority' | 'addNote' | 'attach' | 'history'>;

export function actionHandlers({ actions: a }: { actions: IncidentActions }): DomainHandlers<typeof actionMethods> {
  return {
    'incidents.create': (params, ctx) => a.create(ctx, params),
    'incidents.acknowledge': ({ id }, ctx) => a.acknowledge(ctx, id),
    'incidents.markOnScene': ({ id }, ctx) => a.markOnScene(ctx, id),
    'incidents.close': ({ id, reason }, ctx) => a.close(ctx, id, reason),
    'incidents.reopen': ({ id, reason }, ctx) => a.reopen(ctx, id, reason),
    'incidents.merge': ({ id, into, reason }, ctx) => a.merge(ctx, id, into, reason),
    'incidents.setPriority': ({ id, priority, reason }, ctx) => a.setPriority(ctx, id, priority, reason),
    'incidents.addNote': ({ id, text }, ctx) => a.addNote(ctx, id, text),
    'incidents.attach': ({ id, attachment }, ctx) => a.attach(ctx, id, attachment),
    'incidents.history': ({ id }, ctx) => a.history(ctx, id),
  };
}
