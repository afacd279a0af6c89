import type { ReactNode } from 'react';
import { useT } from '../i18n/index';

/** The top bar's name plate, the same on every role's screen; `children` says which screen or room it is. */
export function Brand({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="brand">
      <span className="logo" aria-hidden="true">◉</span>
      <h1>{t('app.title')}</h1>
      {children}
    </div>
  );
}
