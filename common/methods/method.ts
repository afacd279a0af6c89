import type { z } from 'zod';
import type { Role } from '../domain/roles';

/** One method of the contract: its params, its result, who may call it. */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
  roles: readonly Role[];
  /** One line for listings and the journal. */
  summary: string;
  /** Changes state: refused while the service is read-only (e.g. an invalid machine policy). */
  writes?: true;
}

export const method = <P extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<P, R>) => spec;
