import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { DomainError } from '../../platform/errors.js';
import { drawQrModules, qrMatrix } from '../../platform/qr.js';

/**
 * Referral posters (推荐海报) and QR codes, drawn on the server. The poster is a PNG because the
 * mobile portal saves it by long-press, which only works for raster images.
 */

export type ReferralPosterInput = {
  clinicName: string;
  /** Already masked, e.g. 王**. */
  referrerName: string;
  headline: string;
  /** What the friend and the referrer get, one to four short sentences. */
  lines: string[];
  /** What the QR code opens. */
  url: string;
  code: string;
  /** Defaults to the compliance line that rewards are never paid out as cash. */
  footer?: string;
};

export const POSTER_WIDTH = 750;
export const POSTER_HEIGHT = 1334;

const POSTER_FONT_FAMILY = 'Yuehui Poster Sans';
const DEFAULT_FOOTER = '奖励为积分/优惠券，不提供现金返利';
const SCAN_HINT = '长按识别二维码';
const CODE_LABEL = '邀请码';
const INVITES = '邀请您';
const MAX_LINES = 4;
/** Byte-mode capacity at error-correction level M, the densest any text can need. */
/** The quiet zone that scanners expect around a standalone code, in modules. */

const palette = {
  backgroundTop: '#a83f57',
  backgroundMiddle: '#cf6b72',
  backgroundBottom: '#e8a87f',
  gold: '#f1d08c',
  white: '#ffffff',
  ink: '#4a2530',
  muted: '#9b6b74',
  accent: '#b2465d',
  accentSoft: '#fbeef0',
  qr: '#1f1418',
} as const;

type FontFiles = { byCodePoint: Map<number, string>; latin: string };

let fontFilesLoad: Promise<FontFiles> | undefined;
const fontFileLoads = new Map<string, Promise<void>>();

const parseRanges = (ranges: string): [number, number][] =>
  ranges.split(',').map((range) => {
    const [from = '', to] = range.trim().replace(/^U\+/i, '').split('-');
    return [Number.parseInt(from, 16), Number.parseInt(to ?? from, 16)];
  });

/** Maps every code point that Noto Sans SC covers to the unicode-range file that has it. */
const readFontFiles = async (): Promise<FontFiles> => {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@fontsource-variable/noto-sans-sc/package.json'));
  const subsets = JSON.parse(await readFile(join(packageDir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const byCodePoint = new Map<number, string>();
  for (const [subset, ranges] of Object.entries(subsets)) {
    const file = join(packageDir, 'files', `noto-sans-sc-${subset.replace(/^\[|\]$/g, '')}-wght-normal.woff2`);
    for (const [from, to] of parseRanges(ranges)) {
      for (let codePoint = from; codePoint <= to; codePoint++) if (!byCodePoint.has(codePoint)) byCodePoint.set(codePoint, file);
    }
  }
  const latin = byCodePoint.get('A'.codePointAt(0) ?? 0);
  if (!latin || byCodePoint.size < 10_000) throw new Error('the poster font package does not cover simplified Chinese');
  return { byCodePoint, latin };
};

const registerFontFile = (file: string): Promise<void> => {
  let load = fontFileLoads.get(file);
  if (!load) {
    load = readFile(file).then((font) => {
      if (!GlobalFonts.register(font, POSTER_FONT_FAMILY)) throw new Error(`poster font file ${file} could not be registered`);
    });
    void load.catch(() => fontFileLoads.delete(file));
    fontFileLoads.set(file, load);
  }
  return load;
};

const fontFiles = (): Promise<FontFiles> => {
  fontFilesLoad ??= readFontFiles().catch((error: unknown) => {
    fontFilesLoad = undefined;
    throw error;
  });
  return fontFilesLoad;
};

/** The characters of `text` that the poster font lacks: they would fall back to whatever the server has, or a box. */
export const missingPosterGlyphs = async (text: string): Promise<string[]> => {
  const { byCodePoint } = await fontFiles();
  return [...new Set(text)].filter((character) => !/\s/.test(character) && !byCodePoint.has(character.codePointAt(0) ?? 0));
};

/**
 * Makes Noto Sans SC (from its npm package, never a system font: a fresh server may have no CJK
 * font at all) ready for `text`, and returns the family name for `ctx.font`. The package splits
 * the variable font into some hundred unicode-range files; only the files that `text` needs are
 * registered, once per process, since every registered file slows Skia's per-character font
 * fallback. All of them share one family, and Skia picks for each character the file that has it.
 */
export const loadPosterFont = async (text: string): Promise<string> => {
  const { byCodePoint, latin } = await fontFiles();
  const files = new Set([latin]);
  for (const character of text) {
    const file = byCodePoint.get(character.codePointAt(0) ?? 0);
    if (file) files.add(file);
  }
  await Promise.all([...files].map(registerFontFile));
  return POSTER_FONT_FAMILY;
};

// Kinsoku (避头尾): these never start a line, these never end one.
const NO_LINE_START = new Set('，。、；：！？）】」』》〉”’…—·,.;:!?)]}%');
const NO_LINE_END = new Set('（【「『《〈“‘([{¥$');

/** Latin words and numbers stay whole; every other character may break on its own. */
const breakUnits = (text: string): string[] => text.match(/[A-Za-z0-9@#&+\-_.,:/%*]+|\s+|./gsu) ?? [];

/**
 * Greedy line wrapping for Chinese text mixed with Latin words and numbers, keeping closing
 * punctuation off the start of a line and opening punctuation off its end.
 */
export const wrapText = (text: string, maxWidth: number, measure: (text: string) => number): string[] => {
  const rows: string[][] = [];
  let current: string[] = [];
  const fits = (units: string[]) => measure(units.join('').trimEnd()) <= maxWidth;

  const pushUnit = (unit: string) => {
    if (current.length === 0 && /^\s+$/.test(unit)) return;
    if (fits([...current, unit])) {
      current.push(unit);
      return;
    }
    if (current.length === 0) {
      // A single unit wider than the row (a long URL or code): break it anywhere.
      for (const character of unit) {
        if (current.length > 0 && !fits([...current, character])) {
          rows.push(current);
          current = [];
        }
        current.push(character);
      }
      return;
    }
    if (/^\s+$/.test(unit)) {
      rows.push(current);
      current = [];
      return;
    }
    let carried: string[] = [];
    if (NO_LINE_START.has(unit)) {
      // Take the last character down with the punctuation rather than start a row with it.
      carried = current.splice(-1, 1);
    }
    while (current.length > 1 && NO_LINE_END.has(current.at(-1) ?? '')) carried = [...current.splice(-1, 1), ...carried];
    if (current.length === 0) {
      current = [...carried, unit];
      return;
    }
    rows.push(current);
    current = carried;
    if (current.length === 0) {
      pushUnit(unit);
    } else {
      current.push(unit);
    }
  };

  for (const unit of breakUnits(text.trim())) pushUnit(unit);
  if (current.length > 0) rows.push(current);
  return rows.map((row) => row.join('').trim()).filter((row) => row.length > 0);
};

const ellipsize = (ctx: SKRSContext2D, text: string, maxWidth: number): string => {
  if (ctx.measureText(text).width <= maxWidth) return text;
  const characters = Array.from(text);
  while (characters.length > 0 && ctx.measureText(`${characters.join('')}…`).width > maxWidth) characters.pop();
  return `${characters.join('')}…`;
};

/** Sets the largest font size, down to `minSize`, at which the text fits; cuts it with … if even that is too wide. */
const fitText = (
  ctx: SKRSContext2D,
  text: string,
  { weight, size, minSize, maxWidth }: { weight: number; size: number; minSize: number; maxWidth: number },
) => {
  for (let current = size; current >= minSize; current -= 2) {
    ctx.font = `${weight} ${current}px "${POSTER_FONT_FAMILY}"`;
    if (ctx.measureText(text).width <= maxWidth) return text;
  }
  return ellipsize(ctx, text, maxWidth);
};

const wrapLimited = (ctx: SKRSContext2D, text: string, maxWidth: number, maxRows: number): string[] => {
  const rows = wrapText(text, maxWidth, (part) => ctx.measureText(part).width);
  if (rows.length <= maxRows) return rows;
  const kept = rows.slice(0, maxRows);
  kept[maxRows - 1] = ellipsize(ctx, `${kept[maxRows - 1]}${rows[maxRows]}`, maxWidth);
  return kept;
};

const requireText = (value: string, field: string, label: string) => {
  if (value.trim().length === 0) throw new DomainError('invalid', 'POSTER_FIELD_EMPTY', `海报的${label}不能为空`, [{ path: field, message: '不能为空' }]);
};

const validatePoster = (input: ReferralPosterInput) => {
  requireText(input.clinicName, 'clinicName', '机构名称');
  requireText(input.referrerName, 'referrerName', '推荐人');
  requireText(input.headline, 'headline', '标题');
  requireText(input.url, 'url', '链接');
  requireText(input.code, 'code', '邀请码');
  const lines = input.lines.filter((line) => line.trim().length > 0);
  if (lines.length === 0 || lines.length > MAX_LINES) {
    throw new DomainError('invalid', 'POSTER_LINES_INVALID', `海报说明须为 1–${MAX_LINES} 行`, [{ path: 'lines', message: `1–${MAX_LINES} 行` }]);
  }
  return lines;
};

const drawBackground = (ctx: SKRSContext2D) => {
  const gradient = ctx.createLinearGradient(0, 0, POSTER_WIDTH * 0.4, POSTER_HEIGHT);
  gradient.addColorStop(0, palette.backgroundTop);
  gradient.addColorStop(0.55, palette.backgroundMiddle);
  gradient.addColorStop(1, palette.backgroundBottom);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, POSTER_WIDTH, POSTER_HEIGHT);

  // Soft rings of light: decoration only, kept faint so the text stays readable.
  const circles: [number, number, number, number][] = [
    [660, 90, 220, 0.1],
    [40, 330, 150, 0.07],
    [720, 1250, 260, 0.08],
  ];
  for (const [x, y, radius, alpha] of circles) {
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, Math.PI * 2);
    ctx.fillStyle = `rgba(255, 255, 255, ${alpha})`;
    ctx.fill();
  }
};

const drawCentered = (ctx: SKRSContext2D, text: string, y: number) => {
  ctx.textAlign = 'center';
  ctx.fillText(text, POSTER_WIDTH / 2, y);
};

/**
 * A 750×1334 PNG poster: the clinic, the headline, who invites, what both sides get, a QR code
 * for `url`, the referral code, and the compliance footer.
 */
export const renderReferralPoster = async (input: ReferralPosterInput): Promise<Buffer> => {
  const lines = validatePoster(input);
  const modules = qrMatrix(input.url);
  const footer = input.footer ?? DEFAULT_FOOTER;
  await loadPosterFont([input.clinicName, input.headline, input.referrerName, INVITES, ...lines, SCAN_HINT, CODE_LABEL, input.code, footer, '…'].join(''));

  const canvas = createCanvas(POSTER_WIDTH, POSTER_HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.lang = 'zh-CN';
  ctx.textBaseline = 'alphabetic';
  drawBackground(ctx);

  const contentWidth = POSTER_WIDTH - 2 * 72;

  // Header: clinic name between two gold rules, the headline, who invites.
  ctx.fillStyle = palette.gold;
  ctx.letterSpacing = '4px';
  const clinicName = fitText(ctx, input.clinicName, { weight: 500, size: 30, minSize: 22, maxWidth: contentWidth - 140 });
  const clinicWidth = ctx.measureText(clinicName).width;
  drawCentered(ctx, clinicName, 118);
  ctx.letterSpacing = '0px';
  const ruleGap = clinicWidth / 2 + 22;
  ctx.fillRect(POSTER_WIDTH / 2 - ruleGap - 48, 107, 48, 2);
  ctx.fillRect(POSTER_WIDTH / 2 + ruleGap, 107, 48, 2);

  ctx.fillStyle = palette.white;
  drawCentered(ctx, fitText(ctx, input.headline, { weight: 800, size: 84, minSize: 48, maxWidth: contentWidth }), 236);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
  drawCentered(ctx, fitText(ctx, `${input.referrerName}${INVITES}`, { weight: 500, size: 34, minSize: 26, maxWidth: contentWidth }), 300);

  // The white card: benefits, the QR code, the scan hint and the referral code.
  const card = { x: 48, y: 352, width: POSTER_WIDTH - 96, height: 846, radius: 36 };
  ctx.save();
  ctx.shadowColor = 'rgba(90, 20, 40, 0.25)';
  ctx.shadowBlur = 40;
  ctx.shadowOffsetY = 12;
  ctx.fillStyle = palette.white;
  ctx.beginPath();
  ctx.roundRect(card.x, card.y, card.width, card.height, card.radius);
  ctx.fill();
  ctx.restore();

  const padding = 44;
  const gapAfterBenefits = 44;
  const hintHeight = 36;
  const codeHeight = 68;
  const bottomBlock = 18 + hintHeight + 16 + codeHeight;
  const bulletIndent = 30;
  const textWidth = card.width - 2 * 48 - bulletIndent;
  const benefitGap = 10;
  const minQrSize = 250;
  // Long benefit texts get a smaller type, then fewer rows, before the QR code gets smaller than scanners like.
  const layoutBenefits = ({ fontSize, maxRows }: { fontSize: number; maxRows: number }) => {
    const font = `400 ${fontSize}px "${POSTER_FONT_FAMILY}"`;
    ctx.font = font;
    const rowHeight = Math.round(fontSize * 1.5);
    const rows = lines.map((line) => wrapLimited(ctx, line, textWidth, maxRows));
    const height = rows.reduce((sum, lineRows) => sum + lineRows.length * rowHeight, 0) + benefitGap * (rows.length - 1);
    const qrRoom = card.height - 2 * padding - height - gapAfterBenefits - bottomBlock;
    return { font, rowHeight, rows, height, qrRoom };
  };
  let benefitLayout = layoutBenefits({ fontSize: 29, maxRows: 3 });
  for (const attempt of [
    { fontSize: 26, maxRows: 3 },
    { fontSize: 24, maxRows: 2 },
  ]) {
    if (benefitLayout.qrRoom >= minQrSize) break;
    benefitLayout = layoutBenefits(attempt);
  }
  const { font: benefitFont, rowHeight: benefitRowHeight, rows: benefits, height: benefitsHeight, qrRoom } = benefitLayout;
  const qrSize = Math.max(minQrSize, Math.min(400, qrRoom));
  const contentHeight = benefitsHeight + gapAfterBenefits + qrSize + bottomBlock;
  let y = card.y + Math.max(padding, (card.height - contentHeight) / 2);

  ctx.textAlign = 'left';
  const textLeft = card.x + 48 + bulletIndent;
  for (const rows of benefits) {
    ctx.fillStyle = palette.accent;
    ctx.beginPath();
    ctx.arc(card.x + 48 + 8, y + benefitRowHeight / 2, 6, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = palette.ink;
    ctx.font = benefitFont;
    for (const row of rows) {
      ctx.fillText(row, textLeft, y + Math.round(benefitRowHeight * 0.72));
      y += benefitRowHeight;
    }
    y += benefitGap;
  }
  y += gapAfterBenefits - benefitGap;

  ctx.strokeStyle = '#f0dde1';
  ctx.lineWidth = 2;
  ctx.setLineDash([8, 8]);
  ctx.beginPath();
  ctx.moveTo(card.x + 40, y - gapAfterBenefits / 2);
  ctx.lineTo(card.x + card.width - 40, y - gapAfterBenefits / 2);
  ctx.stroke();
  ctx.setLineDash([]);

  // The card is white all around the code, which gives scanners their quiet zone.
  drawQrModules(ctx, modules, { x: Math.round((POSTER_WIDTH - qrSize) / 2), y: Math.round(y), size: qrSize, quietModules: 0, color: palette.qr });
  y += qrSize + 18;

  ctx.fillStyle = palette.muted;
  ctx.font = `400 24px "${POSTER_FONT_FAMILY}"`;
  drawCentered(ctx, SCAN_HINT, y + 26);
  y += hintHeight + 16;

  const codeText = fitText(ctx, `${CODE_LABEL}  ${input.code}`, { weight: 700, size: 32, minSize: 20, maxWidth: card.width - 120 });
  const pillWidth = Math.min(card.width - 64, ctx.measureText(codeText).width + 72);
  ctx.fillStyle = palette.accentSoft;
  ctx.beginPath();
  ctx.roundRect((POSTER_WIDTH - pillWidth) / 2, y, pillWidth, codeHeight - 8, (codeHeight - 8) / 2);
  ctx.fill();
  ctx.fillStyle = palette.accent;
  drawCentered(ctx, codeText, y + 42);

  // Footer: the compliance line, under the card.
  ctx.fillStyle = 'rgba(255, 255, 255, 0.88)';
  ctx.font = `400 22px "${POSTER_FONT_FAMILY}"`;
  const footerRows = wrapLimited(ctx, footer, contentWidth, 2);
  const footerTop = card.y + card.height + (footerRows.length > 1 ? 48 : 66);
  footerRows.forEach((row, index) => {
    drawCentered(ctx, row, footerTop + index * 32);
  });

  return canvas.encode('png');
};

/** A rendered poster and the tag that names its content (for If-None-Match). */
export type RenderedPoster = { png: Buffer; etag: string };

/**
 * Rendered posters by the hash of everything drawn on them: a member opening her poster again,
 * or another instance of the same programme text, gets the PNG without drawing it again. The
 * oldest entries go first once `capacity` posters (≈ 200 KB each) are kept.
 */
export const posterCache = (render: (input: ReferralPosterInput) => Promise<Buffer> = renderReferralPoster, capacity = 100) => {
  const kept = new Map<string, Promise<Buffer>>();
  return async (input: ReferralPosterInput): Promise<RenderedPoster> => {
    const etag = `"${createHash('sha256').update(JSON.stringify(input)).digest('base64url').slice(0, 27)}"`;
    let png = kept.get(etag);
    if (png) {
      kept.delete(etag);
    } else {
      png = render(input);
      // A failed render is not kept: the next request draws again.
      png.catch(() => kept.delete(etag));
    }
    kept.set(etag, png);
    while (kept.size > capacity) kept.delete(kept.keys().next().value ?? '');
    return { png: await png, etag };
  };
};
