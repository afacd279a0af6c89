import { z } from 'zod';
import { DESK_ROLES, SUPERVISOR_ROLES } from '../domain/roles';
import { ExerciseClock } from '../domain/exercise';
import { method } from './method';

/** Training sandboxes (docs/training.md). */
export const trainingMethods = {
  'training.inject': method({
    params: z.object({ record: z.record(z.string(), z.unknown()) }),
    result: z.object({ injected: z.literal(true) }),
    roles: SUPERVISOR_ROLES,
    writes: true,
    replicates: 'seat',
    summary: 'Trainer: injects an incident, unit failure or alert into the exercise now (sandbox profiles only)',
  }),
  'training.debrief': method({
    params: z.object({}).prefault({}),
    result: z.object({ html: z.string(), csv: z.string(), rows: z.number().int() }),
    roles: SUPERVISOR_ROLES,
    summary: 'Trainer: the debrief of this exercise (printable HTML, and CSV), from the sandbox log against the real day (sandbox profiles only)',
  }),
  'training.clock': method({
    params: z.object({}).prefault({}),
    result: z.object({ clock: ExerciseClock, startAt: z.number() }).nullable(),
    roles: DESK_ROLES,
    summary: 'The exercise clock of a training sandbox (null on a live profile): every window shows exercise time, never the wall date',
  }),
  'training.control': method({
    params: z.discriminatedUnion('action', [
      z.object({ action: z.literal('pause') }),
      z.object({ action: z.literal('resume') }),
      z.object({ action: z.literal('speed'), speed: z.number().positive().max(3600) }),
    ]),
    result: z.object({ clock: ExerciseClock }),
    // The trainer alone: the trainees (operators, supervisors) work the exercise, they do not run it.
    roles: ['trainer'],
    writes: true,
    replicates: 'seat',
    summary: 'Trainer: pauses, resumes or changes the speed of the exercise clock (sandbox profiles only)',
  }),
  'training.injections': method({
    params: z.object({}).prefault({}),
    result: z.array(z.object({ entity: z.string(), t: z.number(), origin: z.enum(['scenario', 'trainer']), note: z.string().nullable() })),
    // Never the trainees': this is the only place injected calls are told apart from the day's.
    roles: ['trainer'],
    summary: 'Trainer: which incidents and units were injected (scenario or by hand), to mark them on the trainer\'s screen',
  }),
} as const;
