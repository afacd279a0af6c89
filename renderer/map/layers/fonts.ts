// Label glyphs come from an npm font package bundled into the app: the same on every workstation,
// and never fetched at run time. Symbols outside its Latin set fall back to the system's fonts.
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-700.css';

export const LABEL_FONT = '"Noto Sans", "DejaVu Sans", sans-serif';

/** deck.gl draws its glyph atlas once: the font must be loaded before the first text layer. */
export function loadLabelFont(): Promise<void> {
  return Promise.all([document.fonts.load('400 12px "Noto Sans"'), document.fonts.load('700 12px "Noto Sans"')]).then(
    () => undefined,
    () => undefined, // a missing font only changes the look; labels still draw with the fallback
  );
}
