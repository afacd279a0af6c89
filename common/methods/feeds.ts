import { z } from 'zod';
import { ANY_ROLE } from '../domain/roles';
import { FeedStatus } from '../domain/feed';
import { method } from './method';

export const QuarantineEntry = z.object({
  id: z.number().int(),
  feedId: z.string(),
  receivedAt: z.number().int(),
  reason: z.string(),
  raw: z.string(),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;

export const PurgeRun = z.object({
  t: z.number().int(),
  feedId: z.string(),
  cutoff: z.number().int(),
  purpose: z.string().nullable(),
  deleted: z.record(z.string(), z.number().int()),
});
export type PurgeRun = z.infer<typeof PurgeRun>;

/** One feed's entry of config.json, as IT writes it; the data service checks it (main/core/config.ts). */
export const FeedSettings = z.record(z.string(), z.unknown());
export type FeedSettings = z.infer<typeof FeedSettings>;

export const feedMethods = {
  'feeds.list': method({
    params: z.object({}).prefault({}),
    result: z.array(FeedStatus),
    roles: ANY_ROLE,
    summary: 'Configured feeds and their health',
  }),
  'quarantine.list': method({
    params: z.object({ limit: z.number().int().min(1).max(1_000).default(100), feedId: z.string().max(64).optional() }).prefault({}),
    result: z.array(QuarantineEntry),
    roles: ['supervisor', 'admin'],
    summary: 'Feed records that could not be stored, with the reason',
  }),
  'feeds.setPaused': method({
    params: z.object({ id: z.string().max(64), paused: z.boolean() }),
    result: FeedStatus,
    roles: ['supervisor', 'admin'],
    writes: true,
    replicates: 'seat',
    summary: 'Pause or resume a feed (remembered across restarts)',
  }),
  'feeds.settings': method({
    params: z.object({}).prefault({}),
    result: z.object({
      feeds: z.array(FeedSettings),
      types: z.array(z.string()),
      transports: z.array(z.string()),
      /** Where feed credentials are kept (the OS keychain, or a 0600 file) and which feeds have one; never a secret. */
      credentials: z.object({ storage: z.enum(['file', 'os-keychain']), location: z.string(), feeds: z.array(z.string()), note: z.string().optional() }),
    }),
    roles: ['admin'],
    summary: 'The feeds of config.json, for editing (credentials are not there)',
  }),
  'feeds.save': method({
    params: z.object({ feed: FeedSettings }),
    result: FeedStatus,
    roles: ['admin'],
    writes: true,
    replicates: 'seat',
    summary: 'Add a feed or replace one (by id) in config.json, and (re)start it',
  }),
  'feeds.remove': method({
    params: z.object({ id: z.string().max(64) }),
    result: z.object({ removed: z.boolean() }),
    roles: ['admin'],
    writes: true,
    replicates: 'seat',
    summary: 'Remove a feed from config.json and stop it; what it brought stays until its retention ends',
  }),
  'feeds.purges': method({
    params: z.object({ limit: z.number().int().min(1).max(1_000).default(50) }).prefault({}),
    result: z.array(PurgeRun),
    roles: ['supervisor', 'admin'],
    summary: 'Retention purges: when, which feed, what was deleted',
  }),
} as const;
