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

export const feedMethods = {
  'feeds.list': method({
    params: z.object({}).prefault({}),
    result: z.array(FeedStatus),
    roles: ANY_ROLE,
    summary: 'Configured feeds and their health',
  }),
  'quarantine.list': method({
    params: z.object({ limit: z.number().int().min(1).max(1_000).default(100) }).prefault({}),
    result: z.array(QuarantineEntry),
    roles: ['supervisor', 'admin'],
    summary: 'Feed records that could not be stored, with the reason',
  }),
} as const;
