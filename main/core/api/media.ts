import type { mediaMethods } from '../../../common/methods/media';
import type { MediaService } from '../media/mediaService';
import type { DomainHandlers } from './handlers';

export interface MediaDeps {
  media: Pick<MediaService, 'list' | 'open' | 'mark'>;
}

export function mediaHandlers({ media }: MediaDeps): DomainHandlers<typeof mediaMethods> {
  return {
    'media.list': ({ incidentId, display }, ctx) => media.list(incidentId, ctx.role, display),
    'media.open': ({ incidentId, index, display }, ctx) => media.open(incidentId, index, ctx, display),
    'media.markThirdParty': ({ incidentId, index, thirdParty }, ctx) => media.mark(incidentId, index, thirdParty, ctx),
  };
}
