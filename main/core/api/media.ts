import type { mediaMethods } from '../../../common/methods/media';
import type { MediaService } from '../media/mediaService';
import type { DomainHandlers } from './handlers';

export interface MediaDeps {
  media: Pick<MediaService, 'list' | 'open' | 'mark'>;
}

export function mediaHandlers({ media }: MediaDeps): DomainHandlers<typeof mediaMethods> {
  return {
    'media.list': ({ incidentId }, ctx) => media.list(incidentId, ctx.role),
    'media.open': ({ incidentId, index }, ctx) => media.open(incidentId, index, ctx),
    'media.markThirdParty': ({ incidentId, index, thirdParty }, ctx) => media.mark(incidentId, index, thirdParty, ctx),
  };
}
