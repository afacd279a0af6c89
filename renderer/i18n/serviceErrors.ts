import { RpcError, type RpcErrorCode } from '../../common/rpc';
import { en, type MessageKey } from './en';
import { fr } from './fr';
import type { Locale } from './index';

const CODES: readonly RpcErrorCode[] = ['bad_request', 'forbidden', 'not_found', 'unavailable', 'internal'];

/**
 * A service error as the desk reads it. The service writes its sentences in English (they go to
 * logs and IT too); in French the error's code gives a French sentence first, and the service's
 * own sentence follows as its detail, since it names the exact value or file.
 */
export function serviceErrorText(error: unknown, locale: Locale): string {
  const message = (error as { message?: unknown })?.message;
  const text = typeof message === 'string' ? message : String(error);
  const code = (error as { code?: unknown })?.code as RpcErrorCode | undefined;
  if (locale === 'en' || !code || !CODES.includes(code)) return text;
  const messages: Record<MessageKey, string> = locale === 'fr' ? fr : en;
  return `${messages[`errors.${code}`]} ${messages['errors.detail'].replace('{message}', text)}`;
}

/** The same error, its message in the desk's language, its code kept. */
export function localizedServiceError(error: unknown, locale: Locale): unknown {
  if (locale === 'en' || !(error instanceof Error) || !CODES.includes((error as { code?: RpcErrorCode }).code as RpcErrorCode)) return error;
  const localized = new RpcError((error as RpcError).code, serviceErrorText(error, locale));
  localized.cause = error;
  return localized;
}
