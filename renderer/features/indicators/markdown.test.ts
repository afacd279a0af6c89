import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './markdown';

const html = (source: string) => renderToStaticMarkup(createElement(Markdown, { source }));

describe('reflex sheet Markdown', () => {
  it('renders headings, numbered steps, bullets, bold and code', () => {
    expect(html('# Rixes\n\n1. Call the **duty officer**\n2. Camera `CAM-12`\n\n- one\n- two\n\nPlain *text*.')).toBe(
      '<div class="markdown"><h3>Rixes</h3><ol><li>Call the <strong>duty officer</strong></li><li>Camera <code>CAM-12</code></li></ol><ul><li>one</li><li>two</li></ul><p>Plain <em>text</em>.</p></div>',
    );
  });

  it('shows raw HTML as text and never as markup', () => {
    const out = html('<script>alert(1)</script>\n\n**<img src=x onerror=alert(1)>**\n\n[x](javascript:alert(1))');
    expect(out).not.toMatch(/<script|<img|href=/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('<strong>&lt;img src=x onerror=alert(1)&gt;</strong>');
  });

  it('does not stall on lines no rule takes', () => {
    expect(html('##### five\n-\n1.\n#')).toContain('five');
  });
});
