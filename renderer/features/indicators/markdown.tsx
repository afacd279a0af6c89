import { Fragment, type ReactNode } from 'react';

/**
 * A reflex sheet's Markdown as React elements: headings, paragraphs, ordered and bullet lists,
 * **bold**, *italic*, `code`. Everything else is text — React escapes it, so a sheet holding
 * `<script>` or `<img onerror>` shows those characters and runs nothing (no innerHTML anywhere).
 */
export function Markdown({ source }: { source: string }) {
  const blocks: ReactNode[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(heading[1]!.length + 2, 6);
      const Tag = `h${level}` as 'h3';
      blocks.push(<Tag key={i}>{inline(heading[2]!)}</Tag>);
      i++;
      continue;
    }
    const ordered = /^\s*\d+[.)]\s+/.test(line);
    if (ordered || /^\s*[-*+]\s+/.test(line)) {
      const items: ReactNode[] = [];
      const marker = ordered ? /^\s*\d+[.)]\s+/ : /^\s*[-*+]\s+/;
      while (i < lines.length && marker.test(lines[i]!)) {
        items.push(<li key={i}>{inline(lines[i]!.replace(marker, ''))}</li>);
        i++;
      }
      blocks.push(ordered ? <ol key={`l${i}`}>{items}</ol> : <ul key={`l${i}`}>{items}</ul>);
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const paragraph: string[] = [];
    // The first line always goes in, so a line no other rule takes cannot stall the loop.
    do paragraph.push(lines[i++]!);
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,4}\s|\s*[-*+]\s|\s*\d+[.)]\s)/.test(lines[i]!));
    blocks.push(<p key={`p${i}`}>{inline(paragraph.join(' '))}</p>);
  }
  return <div className="markdown">{blocks}</div>;
}

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`)/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push(<Fragment key={`t${last}`}>{text.slice(last, m.index)}</Fragment>);
    if (m[2] !== undefined) out.push(<strong key={m.index}>{m[2]}</strong>);
    else if (m[3] !== undefined) out.push(<em key={m.index}>{m[3]}</em>);
    else out.push(<code key={m.index}>{m[4]}</code>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(<Fragment key={`t${last}`}>{text.slice(last)}</Fragment>);
  return out;
}
