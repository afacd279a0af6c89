import { z } from 'zod';
import { DESK_ROLES } from '../domain/roles';
import { EpochMs } from '../domain/incident';
import { method } from './method';

/** What a profile is: live data, imported history (replay and training), or a training sandbox. */
export const ProfileKind = z.enum(['live', 'history', 'training']);
export type ProfileKind = z.infer<typeof ProfileKind>;

/** One `vigie import` run, with the rule that closed its items. */
export const HistoryImport = z.object({
  importedAt: EpochMs,
  type: z.string(),
  files: z.array(z.string()),
  /** "closedAt=COLUMN", "reports:45m", "BURGLARY=2h,*=30m" (or several joined with " then "); "none": they never close. */
  lifecycle: z.string(),
  stored: z.number().int(),
  closed: z.number().int(),
  firstAt: EpochMs.nullable(),
  lastAt: EpochMs.nullable(),
});
export type HistoryImport = z.infer<typeof HistoryImport>;

const Bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** The profile's kind, its imports, and where its data lies. */
export const historyMethods = {
  'history.about': method({
    params: z.object({}).prefault({}),
    result: z.object({ kind: ProfileKind, imports: z.array(HistoryImport) }),
    roles: DESK_ROLES,
    summary: "What this profile is (live, imported history, training sandbox) and each import's lifecycle rule",
  }),
  'map.dataExtent': method({
    params: z.object({}).prefault({}),
    result: z.object({
      /** [west, south, east, north] of the incidents (units when none), the farthest 0.5 % trimmed; null: no data. */
      bbox: Bbox.nullable(),
      count: z.number().int(),
      /** The data lies inside the city pack's bounds: open on the pack's own view. */
      packFits: z.boolean(),
    }),
    roles: DESK_ROLES,
    summary: "Where the profile's data lies, for 'zoom to data' and for opening an imported profile on it",
  }),
  'replay.counts': method({
    params: z.object({ at: EpochMs, dayStart: EpochMs }),
    result: z.object({
      /** Occurred at or before `at`, not closed by then. */
      open: z.number().int(),
      /** Occurred in [dayStart, at]: the same instant `at` counts on both sides. */
      sinceMidnight: z.number().int(),
    }),
    roles: DESK_ROLES,
    summary: 'Incidents open at a replayed instant and occurred since its midnight, counted the same way',
  }),
} as const;
