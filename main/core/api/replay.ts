import type { replayMethods } from '../../../common/methods/replay';
import type { VigieCore } from '../core';
import { BookmarkFile } from '../replay/bookmarks';
import { recordLayers } from '../replay/layers';
import { logRange, nextEventTime, pictureAt } from '../replay/stateAt';
import type { DomainHandlers } from './handlers';

export function replayHandlers(core: VigieCore): DomainHandlers<typeof replayMethods> {
  const { store } = core;
  const bookmarks = new BookmarkFile(core.profileDir);
  return {
    'replay.range': () => logRange(store),
    'replay.pictureAt': ({ at, trailMinutes }, ctx) => pictureAt(store, at, { trailMinutes, simulatedFeeds: core.simulatedFeeds, clashDistanceM: core.config.calendar.clashDistanceM, user: ctx.user }),
    'layers.record': (set, ctx) => recordLayers(store, ctx, set),
    'replay.nextEvent': ({ at, back }) => nextEventTime(store, at, back),
    'replay.bookmarks': () => bookmarks.list(),
    'replay.addBookmark': ({ at, label }, ctx) => bookmarks.add(at, label, ctx.user),
    'replay.removeBookmark': ({ id }) => ({ removed: bookmarks.remove(id) }),
  };
}
