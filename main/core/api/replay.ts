import type { replayMethods } from '../../../common/methods/replay';
import type { BookmarkFile } from '../replay/bookmarks';
import type { Store } from '../store';
import { recordLayers } from '../replay/layers';
import { logRange, nextEventTime, pictureAt } from '../replay/stateAt';
import type { DomainHandlers } from './handlers';

export interface ReplayDeps {
  /** The whole store: replay rebuilds the picture from the log and every projection. */
  store: Store;
  bookmarks: Pick<BookmarkFile, 'list' | 'add' | 'remove'>;
  simulatedFeeds: ReadonlySet<string>;
  clashDistanceM: number;
}

export function replayHandlers({ store, bookmarks, simulatedFeeds, clashDistanceM }: ReplayDeps): DomainHandlers<typeof replayMethods> {
  return {
    'replay.range': () => logRange(store),
    'replay.pictureAt': ({ at, trailMinutes }, ctx) => pictureAt(store, at, { trailMinutes, simulatedFeeds, clashDistanceM, user: ctx.user }),
    'layers.record': (set, ctx) => recordLayers(store, ctx, set),
    'replay.nextEvent': ({ at, back }) => nextEventTime(store, at, back),
    'replay.bookmarks': () => bookmarks.list(),
    'replay.addBookmark': ({ at, label }, ctx) => bookmarks.add(at, label, ctx.user),
    'replay.removeBookmark': ({ id }) => ({ removed: bookmarks.remove(id) }),
  };
}
