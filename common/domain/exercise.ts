import { z } from 'zod';

/**
 * A training exercise's clock: the historical day's instant `at` at wall-clock instant `wallAt`,
 * moving `speed` times faster than the wall clock while `running`. Windows compute the exercise
 * time themselves from these four numbers (as the replay clock does), so no tick travels.
 */
export const ExerciseClock = z.object({
  at: z.number(),
  wallAt: z.number(),
  speed: z.number().positive(),
  running: z.boolean(),
});
export type ExerciseClock = z.infer<typeof ExerciseClock>;

/** The exercise time a clock shows at wall time `wall`. */
export function exerciseTime(c: ExerciseClock, wall: number): number {
  return c.running ? c.at + (wall - c.wallAt) * c.speed : c.at;
}
