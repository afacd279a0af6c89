import type { Role } from '../../../common/domain/roles';
import type { MediaContent, MediaItem } from '../../../common/domain/media';
import { RpcError } from '../../../common/rpc';
import type { FeedConfig } from '../config';
import type { Clock } from '../clock';
import { authHeader, redactUrl, type FeedCredential } from '../feeds/credentials';
import type { Store } from '../store';
import type { CallContext } from '../rpc';
import { MediaRefused, stripMedia } from './strip';
import { readCapped } from '../net/readCapped';

/** Who sees citizen media at all, and who sees one marked "contains a third party". */
export const MEDIA_ROLES: readonly Role[] = ['operator', 'supervisor', 'trainer'];
export const THIRD_PARTY_ROLES: readonly Role[] = ['supervisor', 'trainer'];

/** Limits when a feed sets none (`media` in its config). */
export const DEFAULT_MEDIA_LIMITS = { maxBytes: 25 * 1024 * 1024, timeoutSeconds: 20, video: true } as const;
const MAX_REDIRECTS = 3;

export interface MediaDeps {
  store: Pick<Store, 'media' | 'incidents' | 'audit' | 'transaction'>;
  /** The feed's config as the scheduler runs it (its URL is the only host media come from). */
  feedOf: (feedId: string) => FeedConfig | undefined;
  credentialFor: (feedId: string) => FeedCredential | undefined;
  clock: Clock;
  /** The machine policy's word on citizen media outside the desks (ProfilePolicy.citizenMedia). */
  policy: () => { wallDisplay: boolean };
}

export type Display = 'desk' | 'wall';

/**
 * Citizen photos and videos of incidents (issue 22). Nothing is fetched at ingest: a medium is
 * fetched when a person opens it, from the feed's own host only (same origin as the feed's URL,
 * redirects followed only on that origin), with the feed's credentials and limits; its type is
 * read from its bytes; it is cleaned of its metadata in memory (strip.ts) and only the cleaned copy
 * is kept, in the profile's cache, until the feed's retention purges it. Every opening is a
 * consultation in the journal, written before the picture is handed over.
 */
export class MediaService {
  constructor(private readonly deps: MediaDeps) {}

  /** The incident's media as this caller may know them: never an address, hidden where the role has no right. */
  list(incidentId: string, role: Role, display: Display = 'desk'): MediaItem[] {
    const cached = this.deps.store.media.cachedIndexes(incidentId);
    return this.deps.store.media.refs(incidentId).map((ref) => {
      const hiddenReason = this.hiddenReason(role, ref.thirdParty, display);
      return { index: ref.index, type: ref.type, thirdParty: ref.thirdParty, hidden: hiddenReason !== undefined, ...(hiddenReason ? { hiddenReason } : {}), cached: cached.has(ref.index) };
    });
  }

  private hiddenReason(role: Role, thirdParty: boolean, display: Display): MediaItem['hiddenReason'] {
    if (display === 'wall' && !this.deps.policy().wallDisplay) return 'policy';
    if (!MEDIA_ROLES.includes(role)) return 'role';
    if (thirdParty && !THIRD_PARTY_ROLES.includes(role)) return 'third_party';
    return undefined;
  }

  /** Opens one medium: from the cache, or fetched and cleaned now; journaled as a consultation. */
  async open(incidentId: string, index: number, ctx: CallContext, display: Display = 'desk'): Promise<MediaContent> {
    const { store } = this.deps;
    const ref = store.media.refs(incidentId).find((r) => r.index === index);
    if (!ref) throw new RpcError('not_found', `Incident ${incidentId} has no photo or video number ${index + 1}; reopen the incident to see its current list.`);
    const hidden = this.hiddenReason(ctx.role, ref.thirdParty, display);
    if (hidden === 'policy') throw new RpcError('forbidden', 'Citizen photos and videos are not shown on the wall display: the machine policy (citizenMedia.wallDisplay) keeps them off it.');
    if (hidden) {
      throw new RpcError('forbidden', hidden === 'role' ? `The ${ctx.role} role does not see citizen photos and videos.` : 'A supervisor marked this picture as showing a third party: only supervisors see it.');
    }
    let cached = store.media.cached(incidentId, index);
    if (!cached) {
      const incident = store.incidents.get(incidentId);
      const clean = await this.fetchClean(ref.feedId, ref.url, incident?.occurredAt);
      const t = this.deps.clock.now();
      store.media.putCache(incidentId, index, ref.feedId, clean, t);
      cached = { ...clean, cachedAt: t };
    }
    store.audit.append({ t: this.deps.clock.now(), user: ctx.user, role: ctx.role, kind: 'consultation', action: 'incident.media.open', target: `${incidentId}#${index}`, origin: ctx.origin });
    return { index, contentType: cached.contentType as MediaContent['contentType'], data: cached.bytes.toString('base64'), bytes: cached.bytes.length, removed: cached.removed };
  }

  /** A supervisor's mark: hides (or shows again) a picture to the roles that may not see third parties. */
  mark(incidentId: string, index: number, thirdParty: boolean, ctx: CallContext): MediaItem[] {
    const { store } = this.deps;
    store.transaction(() => {
      if (!store.media.mark(incidentId, index, thirdParty)) throw new RpcError('not_found', `Incident ${incidentId} has no photo or video number ${index + 1}.`);
      store.audit.append({ t: this.deps.clock.now(), user: ctx.user, role: ctx.role, kind: 'action', action: thirdParty ? 'incident.media.third_party' : 'incident.media.no_third_party', target: `${incidentId}#${index}`, origin: ctx.origin });
    })();
    return this.list(incidentId, ctx.role, 'desk');
  }

  /** Fetches from the feed's own origin, within its limits, and returns only the cleaned copy. */
  private async fetchClean(feedId: string, url: string, reportTime: number | undefined): Promise<{ contentType: string; bytes: Buffer; removed: string[] }> {
    const feed = this.deps.feedOf(feedId);
    if (!feed?.url) throw new RpcError('unavailable', `The feed "${feedId}" that brought this report is not configured here (or has no URL): its photos cannot be fetched. Ask IT to restore the feed.`);
    const limits = { ...DEFAULT_MEDIA_LIMITS, ...(feed.media ?? {}) };
    const origin = new URL(feed.url).origin;
    let target = new URL(url);
    const refuse = (why: string) => new RpcError('bad_request', `The photo or video was not fetched: ${why}`);
    if (target.origin !== origin) throw refuse(`its address is on ${target.origin}, not on the feed's own host ${origin}. Vigie fetches citizen media only from the feed's host; ask the publisher to serve them there.`);
    // The feed's own credential (as its runner sends it: the stored one, else user:password in its URL).
    const feedUrl = new URL(feed.url);
    const credential = this.deps.credentialFor(feedId) ?? (feedUrl.username ? { basic: { username: decodeURIComponent(feedUrl.username), password: decodeURIComponent(feedUrl.password) } } : undefined);
    const headers = { accept: 'image/jpeg, image/png, video/mp4, video/quicktime', ...authHeader(credential) };
    const abort = new AbortController();
    const timer = this.deps.clock.setTimeout(() => abort.abort(new Error(`no answer within ${limits.timeoutSeconds} s`)), limits.timeoutSeconds * 1000);
    try {
      let response: Response;
      for (let hop = 0; ; hop++) {
        response = await fetch(target, { headers, redirect: 'manual', signal: abort.signal });
        if (response.status < 300 || response.status >= 400) break;
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location || hop >= MAX_REDIRECTS) throw refuse(`${redactUrl(target.href)} redirects ${location ? 'too many times' : 'without a Location'}.`);
        const next = new URL(location, target);
        if (next.origin !== origin) throw refuse(`${redactUrl(target.href)} redirects to ${next.origin}, off the feed's host; credentials and requests stay on ${origin}.`);
        target = next;
      }
      if (!response.ok) throw refuse(`${redactUrl(target.href)} answered ${response.status} ${response.statusText}.`);
      const declared = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const allowed = ['image/jpeg', 'image/jpg', 'image/png', 'application/octet-stream', ...(limits.video ? ['video/mp4', 'video/quicktime'] : [])];
      if (!allowed.includes(declared)) throw refuse(`the server calls it "${declared || 'nothing'}", which is not a JPEG, PNG${limits.video ? ' or MP4/MOV' : ''}.`);
      const length = Number(response.headers.get('content-length') ?? NaN);
      if (length > limits.maxBytes) {
        await response.body?.cancel();
        throw refuse(`it is ${length} bytes, over the feed's limit of ${limits.maxBytes} (media.maxBytes in the feed's config).`);
      }
      // Read into memory only: the original never touches the disk, not even as a temporary file.
      const body = await readCapped(response, limits.maxBytes);
      if (body.over) throw refuse(`it is over the feed's limit of ${limits.maxBytes} bytes (media.maxBytes in the feed's config).`);
      try {
        const clean = stripMedia(body.bytes, reportTime);
        if (clean.format === 'mp4' && !limits.video) throw new MediaRefused('a video, and this feed does not allow videos (media.video in its config)');
        return { contentType: clean.contentType, bytes: clean.bytes, removed: clean.removed };
      } catch (error) {
        if (error instanceof MediaRefused) throw refuse(`${error.message}.`);
        throw error;
      }
    } catch (error) {
      if (error instanceof RpcError) throw error;
      throw new RpcError('unavailable', `The photo or video could not be fetched from ${redactUrl(target.href)}: ${(error as Error).message}. Try again; if it persists, check the feed in the Feeds panel.`);
    } finally {
      timer.cancel();
    }
  }
}
