import { describe, expect, it } from 'vitest';
import { child, childText, parseXml, parseXmlStream } from './xml';
import { mutations } from './fixtures/mutate';

describe('XML reader', () => {
  it('reads elements, attributes, text, CDATA and entities, and strips namespace prefixes', () => {
    const res = parseXml('\uFEFF<?xml version="1.0"?><!-- c --><a:root xmlns:a="urn:x" a:k="1 &amp; 2"><b>x &lt; y &#233;&#x1F600;</b><c><![CDATA[<raw> & ]]></c><d/></a:root>');
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.root.name).toBe('root');
    expect(res.root.attrs).toEqual({ k: '1 & 2' });
    expect(childText(res.root, 'b')).toBe('x < y é😀');
    expect(child(res.root, 'c')?.text).toBe('<raw> & ');
    expect(child(res.root, 'd')?.children).toEqual([]);
  });

  it('keeps the source offsets of each element', () => {
    const src = '<r> <e id="1">one</e> </r>';
    const res = parseXml(src);
    if (!res.ok) throw new Error(res.error);
    const e = child(res.root, 'e');
    expect(e && src.slice(e.start, e.end)).toBe('<e id="1">one</e>');
  });

  it('keeps a bare ampersand that is not a reference', () => {
    const res = parseXml('<r>Police & Fire</r>');
    expect(res.ok && res.root.text).toBe('Police & Fire');
  });

  it.each([
    ['truncated', '<r><e>text</e', /end of input|malformed end tag/],
    ['mismatched end tag', '<r><e></r></e>', /does not close/],
    ['unknown entity', '<r>&nbsp;</r>', /unknown entity &nbsp;/],
    // Names every object inherits are no entities either (read from a plain table they became "function Object() …").
    ['entity named constructor', '<r>&constructor;</r>', /unknown entity &constructor;/],
    ['entity named __proto__', '<r>a &__proto__; b</r>', /unknown entity &__proto__;/],
    ['entity named toString', '<r a="&toString;"/>', /unknown entity &toString;/],
    ['entity expansion (billion laughs)', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><r>&lol2;</r>', /DOCTYPE.*refused/],
    ['external entity', '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>', /DOCTYPE.*refused/],
    ['two roots', '<a/><b/>', /after the root/],
    ['text only', 'hello', /text before the root/],
    ['empty', '', /no root element/],
    ['unquoted attribute', '<r a=1/>', /not quoted/],
    ['repeated attribute', '<r a="1" a="2"/>', /repeated/],
    ['invalid character reference', '<r>&#0;</r>', /not a valid character/],
  ])('refuses %s with a located reason', (_name, input, reason) => {
    const res = parseXml(input);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toMatch(reason);
  });

  it('reports line and column', () => {
    const res = parseXml('<r>\n  <e>\n</r>');
    expect(!res.ok && res.error).toMatch(/line 3, column 1/);
  });

  it('limits depth without recursion', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    const res = parseXml(deep);
    expect(!res.ok && res.error).toMatch(/nesting deeper than 100/);
  });

  it('refuses an oversize document without reading it', () => {
    const res = parseXml(`<r>${'x'.repeat(2000)}</r>`, { maxLength: 1000 });
    expect(!res.ok && res.error).toMatch(/exceeds the limit/);
  });

  it('reads a stream of concatenated documents and resumes after a bad one', () => {
    const stream = '<?xml version="1.0"?><event uid="1"/>\n<event uid="2"><point></event>junk<?xml version="1.0"?><event uid="3"><detail/></event><event uid="4"';
    const frags = parseXmlStream(stream);
    expect(frags.map((f) => (f.ok ? f.element.attrs.uid : 'error'))).toEqual(['1', 'error', '3', 'error']);
    const bad = frags[1];
    // The bytes up to the next <event>, junk included, are quarantined together.
    expect(bad && !bad.ok && bad.raw).toBe('<event uid="2"><point></event>junk<?xml version="1.0"?>');
    expect(bad && !bad.ok && bad.error).toMatch(/does not close <point>/);
  });

  it('never throws on damaged or random input', () => {
    const valid = '<?xml version="1.0"?><r xmlns:p="u"><p:a k="v">t &amp; <![CDATA[c]]></p:a><!-- x --><b/></r>';
    const inputs = [...mutations(valid, 300, 7), String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 65536))];
    for (const input of inputs) {
      expect(() => parseXml(input)).not.toThrow();
      expect(() => parseXmlStream(input)).not.toThrow();
    }
  });

  it('reads a large document quickly', () => {
    const big = `<r>${'<e a="1">text &amp; more</e>'.repeat(200_000)}</r>`;
    const t0 = performance.now();
    const res = parseXml(big);
    expect(res.ok && res.root.children.length).toBe(200_000);
    // Guards against quadratic blow-up (100× slower), not a speed target: generous for loaded machines.
    expect(performance.now() - t0).toBeLessThan(12_000);
  });
});
