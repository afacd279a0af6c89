import { describe, expect, it } from 'vitest';
import { CATEGORY_GLYPHS, categoryGlyph } from './incidentAttributes';

describe('the symbol of an incident’s category', () => {
  it('is the category’s own; a feed’s own word gets the dot, "constructor" and "toString" included', () => {
    expect(categoryGlyph('fire')).toBe('▲');
    expect(categoryGlyph('burglary')).toBe('⌂');
    for (const category of ['graffiti', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(categoryGlyph(category), category).toBe('•');
    // Every symbol drawn is in the set the text layer's font atlas is built from.
    expect(Object.values(CATEGORY_GLYPHS)).toContain(categoryGlyph('constructor'));
  });
});
