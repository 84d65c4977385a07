import { describe, expect, it } from 'vitest';
import {
  badgeColours,
  badgeMonitorId,
  escapeXml,
  formatBadgeUptime,
  textWidth,
  uptimeBadgeSvg,
} from '../../../../functions/health/domain/badge.js';

/** The numeric attribute `name` of the first element `tag` in `svg`. */
function attr(svg: string, tag: string, name: string, nth = 0): number {
  const elements = [...svg.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].map((m) => m[0]);
  const match = elements[nth]?.match(new RegExp(`\\b${name}="([^"]+)"`));
  if (!match?.[1]) throw new Error(`no ${name} on <${tag}> #${nth}`);
  return Number(match[1]);
}

describe('uptime badge', () => {
  it('shows "uptime" and the 24-hour uptime, nothing else', () => {
    const svg = uptimeBadgeSvg({ uptime24h: 99.9, status: 'UP' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(['uptime', '99.9%']);
    expect(svg).toContain('<title>uptime: 99.9% (24 h), UP</title>');
  });

  it.each([
    [100, '100%'],
    [99.9, '99.9%'],
    [99.95, '99.95%'],
    [0, '0%'],
    [50.5, '50.5%'],
    [null, 'no data'],
    [Number.NaN, 'no data'],
    [101, '100%'],
  ])('formats %j as %j', (uptime, text) => {
    expect(formatBadgeUptime(uptime)).toBe(text);
  });

  it.each([
    ['UP', '#2e8540'],
    ['DOWN', '#c81e1e'],
    ['PENDING', '#6b7280'],
    ['PAUSED', '#6b7280'],
  ] as const)('colours the value by status %s', (status, colour) => {
    expect(badgeColours[status]).toBe(colour);
    const svg = uptimeBadgeSvg({ uptime24h: 90, status });
    // The second rect is the value half.
    expect(svg.match(/<rect x="[^"]+" width="[^"]+" height="20" fill="([^"]+)"/)?.[1]).toBe(colour);
  });

  it('sizes each half to its text, the whole to the sum', () => {
    const short = uptimeBadgeSvg({ uptime24h: 100, status: 'UP' });
    const long = uptimeBadgeSvg({ uptime24h: 99.95, status: 'UP' });
    expect(attr(long, 'svg', 'width')).toBeGreaterThan(attr(short, 'svg', 'width'));
    for (const svg of [short, long]) {
      const label = attr(svg, 'rect', 'width', 1);
      const value = attr(svg, 'rect', 'width', 2);
      expect(label + value).toBe(attr(svg, 'svg', 'width'));
      expect(attr(svg, 'rect', 'x', 2)).toBe(label);
      // Text centred in its half.
      expect(attr(svg, 'text', 'x', 0)).toBe(label / 2);
      expect(attr(svg, 'text', 'x', 1)).toBe(label + value / 2);
    }
    expect(textWidth('99.95%')).toBeGreaterThan(textWidth('100%'));
    expect(textWidth('no data')).toBeGreaterThan(textWidth('0%'));
    // Characters outside the table count as wide, never as nothing.
    expect(textWidth('Ω')).toBeGreaterThan(0);
  });

  it('escapes every XML special character of its text', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    const svg = uptimeBadgeSvg({ uptime24h: 1, status: 'DOWN', label: '<script>alert("x")</script>&' });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    // Still one well-formed document: only the elements the builder writes.
    const tags = new Set([...svg.matchAll(/<([a-zA-Z]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['clipPath', 'g', 'rect', 'svg', 'text', 'title']);
  });
});

describe('badgeMonitorId()', () => {
  it('strips the .svg the badge URL ends with, and leaves a bare id as it is', () => {
    expect(badgeMonitorId('example-com-337fd4f452ae2bb2.svg')).toBe('example-com-337fd4f452ae2bb2');
    expect(badgeMonitorId('example-com-337fd4f452ae2bb2')).toBe('example-com-337fd4f452ae2bb2');
  });

  it('strips one .svg only and nothing else, so the id check still sees what was sent', () => {
    expect(badgeMonitorId('a.svg.svg')).toBe('a.svg');
    expect(badgeMonitorId('a.SVG')).toBe('a.SVG');
    expect(badgeMonitorId('a.png')).toBe('a.png');
    expect(badgeMonitorId('.svg')).toBe('');
    expect(badgeMonitorId(undefined)).toBeUndefined();
    expect(badgeMonitorId(null)).toBeNull();
  });
});
