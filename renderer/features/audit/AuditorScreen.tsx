import { roleLabel, useT } from '../../i18n/index';
import { useSession } from '../../stores/session';
import { JournalView } from './JournalDialog';
import { Brand } from '../../ui/Brand';

/**
 * The auditor's whole screen: the journal, its verification and its exports. The live picture is
 * not part of the role (the data service refuses it, main/core/policy/roleView.ts), so it is not
 * shown, nor announced as loading.
 */
export function AuditorScreen({ topbarEnd }: { topbarEnd: React.ReactNode }) {
  const t = useT();
  const session = useSession((s) => s.session);
  return (
    <div className="app auditor-screen">
      <header className="topbar" role="banner">
        <Brand>
          <span className="muted">{t('auditor.tagline')}</span>
        </Brand>
        <div className="topbar-right">
          {session && (
            <span className="muted user">
              {session.user} · {roleLabel(t, session.role)}
            </span>
          )}
          {topbarEnd}
        </div>
      </header>
      <main className="auditor-main" aria-labelledby="auditor-heading">
        <h2 id="auditor-heading">{t('journal.title')}</h2>
        <p className="muted">{t('auditor.noPicture')}</p>
        <JournalView shortcuts />
      </main>
    </div>
  );
}
