import { useCallback, useState } from 'react';

/**
 * A modal opened by a key or a button. Each opening is a new instance (its key), and a close only
 * closes the instance it came from: a dialog's `close` event lands a task later, so Esc followed at
 * once by the dialog's key would otherwise reopen it and then see the old close shut it again.
 */
export function useDialogState() {
  const [instance, setInstance] = useState(0);
  const open = useCallback(() => setInstance((n) => (n > 0 ? n : -n + 1)), []);
  const closer = useCallback((id: number) => () => setInstance((n) => (n === id ? -id : n)), []);
  return { isOpen: instance > 0, key: instance, open, onClose: closer(instance) };
}
