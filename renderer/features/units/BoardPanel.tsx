import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/index';
import { PopOutButton } from '../../ui/PopOutButton';
import { UnitBoard } from './UnitBoard';

/** The unit board as a panel of its own window (`?panel=board`). */
export function BoardPanel() {
  const t = useT();
  return (
    <section className="panel" aria-labelledby="board-heading">
      <header className="panel-header">
        <h2 id="board-heading">{t('units.board')}</h2>
      </header>
      <div className="board-panel">
        <UnitBoard />
      </div>
    </section>
  );
}

/** Topbar button (B): the unit board in a dialog, which can pop out to its own window. */
export function BoardButton() {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="topbar-button" data-shortcut="b" title={`${t('units.board')} (B)`} onClick={() => setOpen(true)}>
        {t('units.button')}
      </button>
      {open && <BoardDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function BoardDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog journal-dialog" aria-labelledby="board-dialog-heading" onClose={onClose}>
      <header className="panel-header">
        <h2 id="board-dialog-heading">{t('units.board')}</h2>
        <PopOutButton panel="board" onPopped={() => ref.current?.close()} />
      </header>
      {/* Focusable, so the board can be scrolled from the keyboard when it overflows. */}
      <div className="journal-scroll" tabIndex={0} role="region" aria-label={t('units.board')}>
        <UnitBoard />
      </div>
      <form method="dialog">
        <button type="submit">OK</button>
      </form>
    </dialog>
  );
}

