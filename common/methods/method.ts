import type { z } from 'zod';
import type { Role } from '../domain/roles';

/**
 * Where a write takes effect on a workstation of a hub: 'hub' — applied on this seat at once,
 * then sent to the hub, which decides it and relays it to every seat (shared operator actions);
 * 'seat' — this seat only (its own settings, files, feeds, training, imports and counts).
 */
export type Replicates = 'hub' | 'seat';

interface SpecBase<P extends z.ZodType, R extends z.ZodType> {
  params: P;
  result: R;
  roles: readonly Role[];
  /** One line for listings and the journal. */
  summary: string;
}

/** A method that only reads. */
export interface ReadSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> extends SpecBase<P, R> {
  writes?: undefined;
  replicates?: undefined;
}

/** A method that changes state: refused while the service is read-only, and says where it replicates. */
export interface WriteSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, Rep extends Replicates = Replicates> extends SpecBase<P, R> {
  writes: true;
  replicates: Rep;
}

/** One method of the contract: its params, its result, who may call it; a write also says where it replicates. */
export type MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> = ReadSpec<P, R> | WriteSpec<P, R>;

export function method<P extends z.ZodType, R extends z.ZodType>(spec: ReadSpec<P, R>): ReadSpec<P, R>;
export function method<P extends z.ZodType, R extends z.ZodType, Rep extends Replicates>(spec: WriteSpec<P, R, Rep>): WriteSpec<P, R, Rep>;
export function method(spec: MethodSpec): MethodSpec {
  return spec;
}
