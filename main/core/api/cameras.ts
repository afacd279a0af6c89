import type { cameraMethods } from '../../../common/methods/cameras';
import type { Store } from '../store';
import { RpcError } from '../../../common/rpc';
import type { CallContext } from '../rpc';
import { withoutStream } from '../db/cameras';
import type { DomainHandlers, Journal } from './handlers';

export interface CameraDeps {
  cameras: Pick<Store['cameras'], 'get'>;
  audit: Journal;
  simulatedFeeds: ReadonlySet<string>;
}

export function cameraHandlers({ cameras, audit, simulatedFeeds }: CameraDeps): DomainHandlers<typeof cameraMethods> {
  const find = (id: string) => {
    const camera = cameras.get(id);
    if (!camera) throw new RpcError('not_found', `No camera ${id} in the cache; pick a camera the map shows.`);
    return camera;
  };
  const journal = (ctx: CallContext, action: 'camera.view' | 'camera.stream', id: string) =>
    audit.append({ t: Date.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action, target: id, origin: ctx.origin });
  return {
    'cameras.view': ({ id }, ctx) => {
      const camera = find(id);
      journal(ctx, 'camera.view', id);
      return { ...withoutStream(camera), simulated: simulatedFeeds.has(camera.feedId) };
    },
    'cameras.stream': ({ id }, ctx) => {
      const camera = find(id);
      if (!camera.streamUrl) throw new RpcError('not_found', `Camera ${camera.name ?? id} has no stream address in its feed.`);
      journal(ctx, 'camera.stream', id);
      return { id, url: camera.streamUrl };
    },
  };
}
