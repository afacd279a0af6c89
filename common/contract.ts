import { z } from 'zod';
import { ANY_ROLE, DESK_ROLES, Role } from './domain/roles';
import { Incident, IncidentStatus } from './domain/incident';
import { FeedStatus } from './domain/feed';

/**
 * Every method the data service offers, declared once. The client type (common/rpc.ts) and the
 * server dispatch (main/core/dispatch.ts) are both derived from this table: adding a method is one
 * entry here plus its handler in main/core/api.ts.
 */
interface MethodSpec<P extends z.ZodType, R extends z.ZodType> {
  params: P;
  result: R;
  roles: readonly Role[];
  /** One line for the journal and `vigie --help`-style listings. */
  summary: string;
}
const method = <P extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<P, R>) => spec;

const FeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
});

export const Session = z.object({
  user: z.string(),
  role: Role,
  workstation: z.string(),
  profile: z.string(),
  demo: z.boolean(),
  version: z.string(),
});
export type Session = z.infer<typeof Session>;

export const CityPack = z.object({
  id: z.string(),
  name: z.string(),
  center: z.tuple([z.number(), z.number()]),
  zoom: z.number(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  land: FeatureCollection,
  districts: FeatureCollection,
  metro: FeatureCollection,
  attribution: z.array(z.string()),
});
export type CityPack = z.infer<typeof CityPack>;

export const QuarantineEntry = z.object({
  id: z.number().int(),
  feedId: z.string(),
  receivedAt: z.number().int(),
  reason: z.string(),
  raw: z.string(),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;

export const contract = {
  'session.whoami': method({
    params: z.object({}).prefault({}),
    result: Session,
    roles: ANY_ROLE,
    summary: 'Who is connected, with which role, on which profile',
  }),
  'incidents.list': method({
    params: z
      .object({
        statuses: z.array(IncidentStatus).optional(),
        limit: z.number().int().min(1).max(50_000).default(2_000),
      })
      .prefault({}),
    result: z.array(Incident),
    roles: ANY_ROLE,
    summary: 'Incidents in the cache, most recent first',
  }),
  'incidents.get': method({
    params: z.object({ id: z.string() }),
    result: Incident.nullable(),
    roles: ANY_ROLE,
    summary: 'One incident by id',
  }),
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
  'map.cityPack': method({
    params: z.object({}).prefault({}),
    result: CityPack,
    roles: DESK_ROLES,
    summary: 'The city pack: land, districts, transit, default view',
  }),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type Params<M extends MethodName> = z.input<Contract[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<Contract[M]['params']>;
export type Result<M extends MethodName> = z.output<Contract[M]['result']>;
