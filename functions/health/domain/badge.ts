/**
 * The uptime badge of a public monitor (`GET /badges/{monitorId}.svg`): a small flat SVG, "uptime | 99.9%",
 * coloured by the monitor's status. It carries no name, URL or any other text from the monitor or its
 * target, so embedding it in a README reveals nothing the public status page does not.
 */
import type { MonitorStatus } from './types.js';

/** The ending a badge URL carries, so that README renderers and image proxies see an image file. */
export const badgeExtension = '.svg';

/**
 * The monitor id in a badge path segment: `{monitorId}.svg` or the bare `{monitorId}`. API Gateway
 * cannot declare a literal suffix on a parameter segment (`/badges/{monitorId}.svg`), so the route is
 * `/badges/{monitorId}` and the `.svg` arrives inside the parameter; it is stripped here, once, and the
 * rest is validated as any monitor id.
 */
export function badgeMonitorId(segment: string | null | undefined): string | null | undefined {
  if (typeof segment !== 'string' || !segment.endsWith(badgeExtension)) return segment;
  return segment.slice(0, -badgeExtension.length);
}

/** Colours of the value half, by status: green UP, red DOWN, grey while pending or paused. */
export const badgeColours: Readonly<Record<MonitorStatus, string>> = {
  UP: '#2e8540',
  DOWN: '#c81e1e',
  PENDING: '#6b7280',
  PAUSED: '#6b7280',
};

const labelColour = '#555';
const height = 20;
/** Space either side of each half's text. */
const padding = 6;

/**
 * Approximate advance widths (px) of 11px Verdana, the badge font: an SVG has no text metrics, and a
 * width too small would clip the text. Characters not listed count as wide ones.
 */
const charWidths: Readonly<Record<string, number>> = {
  ' ': 4,
  '.': 4,
  '%': 12,
  '-': 5,
  '|': 5,
  '—': 11,
  i: 3,
  l: 3,
  t: 4,
  f: 4,
  r: 5,
  m: 11,
  w: 9,
};
const digitWidth = 7;
const defaultWidth = 7;
const wideWidth = 10;

/** Estimated width (px) of `text` in the badge font. */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const known = charWidths[char];
    if (known !== undefined) width += known;
    else if (char >= '0' && char <= '9') width += digitWidth;
    else if (/[a-z]/.test(char)) width += defaultWidth;
    else width += wideWidth;
  }
  return width;
}

/** `text` safe inside SVG (XML) text and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * The value half: the uptime with at most two decimals and no trailing zeros ("100%", "99.9%",
 * "99.95%"), or "no data" before the first check of the window (not a made-up 100%).
 */
export function formatBadgeUptime(uptime: number | null): string {
  if (uptime === null || !Number.isFinite(uptime)) return 'no data';
  const clamped = Math.min(100, Math.max(0, uptime));
  return `${Number(clamped.toFixed(2))}%`;
}

/** What the badge shows. */
export interface BadgeInput {
  /** Uptime over the last 24 hours (0..100), `null` without checks in the window. */
  uptime24h: number | null;
  status: MonitorStatus;
  /** Left half; default "uptime". */
  label?: string;
}

/** The badge as an SVG document (UTF-8 text). */
export function uptimeBadgeSvg(input: BadgeInput): string {
  const label = input.label ?? 'uptime';
  const value = formatBadgeUptime(input.uptime24h);
  const colour = badgeColours[input.status];
  const labelWidth = textWidth(label) + 2 * padding;
  const valueWidth = textWidth(value) + 2 * padding;
  const width = labelWidth + valueWidth;
  const title = escapeXml(`${label}: ${value} (24 h), ${input.status}`);
  const l = escapeXml(label);
  const v = escapeXml(value);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<clipPath id="r"><rect width="${width}" height="${height}" rx="3" fill="#fff"/></clipPath>`,
    '<g clip-path="url(#r)">',
    `<rect width="${labelWidth}" height="${height}" fill="${labelColour}"/>`,
    `<rect x="${labelWidth}" width="${valueWidth}" height="${height}" fill="${colour}"/>`,
    '</g>',
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
    `<text x="${labelWidth / 2}" y="14">${l}</text>`,
    `<text x="${labelWidth + valueWidth / 2}" y="14">${v}</text>`,
    '</g>',
    '</svg>',
  ].join('');
}
