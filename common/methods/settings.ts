import { z } from 'zod';
import { ANY_ROLE } from '../domain/roles';
import { EffectiveSettings, Settings } from '../domain/settings';
import { method } from './method';

const SettingChange = z.union(
  (Object.keys(Settings.shape) as (keyof typeof Settings.shape)[]).map((key) => z.object({ key: z.literal(key), value: Settings.shape[key] })) as unknown as [
    z.ZodObject<{ key: z.ZodLiteral<'language'>; value: (typeof Settings.shape)['language'] }>,
    ...z.ZodObject<{ key: z.ZodLiteral<keyof typeof Settings.shape>; value: z.ZodType }>[],
  ],
);

export const settingsMethods = {
  'settings.get': method({
    params: z.object({}).prefault({}),
    result: EffectiveSettings,
    roles: ANY_ROLE,
    summary: 'Effective settings, where each comes from (policy, user, default) and which are locked',
  }),
  'settings.set': method({
    params: SettingChange,
    result: EffectiveSettings,
    roles: ANY_ROLE,
    writes: true,
    replicates: 'seat',
    summary: 'Change one of your own settings (language, theme, a wall\'s panels; refused when the machine policy locks it)',
  }),
} as const;
