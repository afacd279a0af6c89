import { describe, expect, it } from 'vitest';
import { RpcError } from '../../common/rpc';
import { localizedServiceError, serviceErrorText } from './serviceErrors';
import { keyNames } from './keyNames';
import { en } from './en';
import { fr } from './fr';

const deskFr = (k: keyof typeof fr) => fr[k];
const deskEn = (k: keyof typeof en) => en[k];

describe('service errors on a French desk', () => {
  it('lead with a French sentence for their code, and keep the service’s own sentence as the detail', () => {
    const refused = new RpcError('forbidden', 'Role operator may not call incidents.merge.');
    expect(serviceErrorText(refused, 'fr')).toBe('Refusé : votre rôle ne le permet pas. Détail du service (en anglais) : Role operator may not call incidents.merge.');
    const lost = new RpcError('unavailable', 'The data service connection closed before it answered.');
    expect(serviceErrorText(lost, 'fr')).toMatch(/^Le service de données ne peut pas le faire pour l’instant/);
    for (const code of ['bad_request', 'forbidden', 'not_found', 'unavailable', 'internal'] as const) {
      expect(serviceErrorText(new RpcError(code, 'x'), 'fr')).toMatch(/^[A-ZÉ][^A-Za-z]*[a-zéèêàç]/);
      expect(serviceErrorText(new RpcError(code, 'x'), 'fr').startsWith(fr[`errors.${code}`])).toBe(true);
    }
  });

  it('stay as the service wrote them in English, and keep their code when translated', () => {
    const e = new RpcError('not_found', 'No incident demo:SIM-1.');
    expect(serviceErrorText(e, 'en')).toBe('No incident demo:SIM-1.');
    expect(localizedServiceError(e, 'en')).toBe(e);
    const translated = localizedServiceError(e, 'fr') as RpcError;
    expect(translated).toBeInstanceOf(RpcError);
    expect(translated.code).toBe('not_found');
    expect(translated.message).toContain('Introuvable');
    expect(translated.message).toContain('No incident demo:SIM-1.');
  });

  it('leave an error without a service code (a bug of the page) as it is', () => {
    expect(serviceErrorText(new Error('boom'), 'fr')).toBe('boom');
  });
});

describe('key names', () => {
  it('are French on a French desk (Maj, Échap, Espace, Entrée) and English otherwise', () => {
    expect(keyNames('Shift+Tab', deskFr)).toBe('Maj+Tabulation');
    expect(keyNames('A / Enter / ⌫ / Esc', deskFr)).toBe('A / Entrée / ⌫ / Échap');
    expect(keyNames('Space', deskFr)).toBe('Espace');
    expect(keyNames('Shift+1…9', deskEn)).toBe('Shift+1…9');
    expect(keyNames('J / K', deskFr)).toBe('J / K');
  });
});
