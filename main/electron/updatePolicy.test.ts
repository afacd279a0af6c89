import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../common/domain/settings';
import { installDecision, updateCheck } from './updatePolicy';

describe('automatic updates', () => {
  it('are off by default, in development, and without a URL', () => {
    expect(updateCheck(DEFAULT_SETTINGS, true)).toMatchObject({ action: 'disabled' });
    expect(updateCheck({ ...DEFAULT_SETTINGS, updates: { enabled: true, url: 'https://updates.example/vigie' } }, false)).toMatchObject({ action: 'disabled', why: 'development build' });
    expect(updateCheck({ ...DEFAULT_SETTINGS, updates: { enabled: true, url: null } }, true)).toMatchObject({ action: 'disabled' });
    expect(updateCheck({ ...DEFAULT_SETTINGS, updates: { enabled: true, url: 'https://updates.example/vigie' } }, true)).toEqual({ action: 'check', url: 'https://updates.example/vigie' });
  });

  it('never restart during active incidents without consent', () => {
    expect(installDecision(0, null)).toEqual({ action: 'install' });
    expect(installDecision(3, null)).toEqual({ action: 'ask', activeIncidents: 3 });
    expect(installDecision(3, false)).toMatchObject({ action: 'wait' });
    expect(installDecision(3, true)).toEqual({ action: 'install' });
  });
});
