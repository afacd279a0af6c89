import type { MessageKey } from './en';

/** Words of keys on the screen ("Shift+E", "Esc"), in the desk's language ("Maj+E", "Échap"). */
export function keyNames(keys: string, translate: (key: MessageKey) => string): string {
  const names: Record<string, MessageKey> = { Esc: 'keys.esc', Space: 'keys.space', Enter: 'keys.enter', Shift: 'keys.shift', Tab: 'keys.tab' };
  return keys.replace(/\b(Esc|Space|Enter|Shift|Tab)\b/g, (word) => translate(names[word]!));
}
