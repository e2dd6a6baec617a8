import { createRequire } from 'node:module';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.js';
import { qrPng, qrSvg } from '../../platform/qr.js';
import {
  loadPosterFont,
  missingPosterGlyphs,
  POSTER_HEIGHT,
  POSTER_WIDTH,
  posterCache,
  type ReferralPosterInput,
  renderReferralPoster,
  wrapText,
} from './poster.js';

// jsqr's types declare an ES default export, but the package is CommonJS and exports the function itself.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const poster: ReferralPosterInput = {
  clinicName: '悦颜医疗美容诊所',
  referrerName: '王**',
  headline: '邀您体验',
  lines: ['好友首次到店成交，双方各得 500 积分', '好友还可领取 ¥200 新客体验券', '奖励自动到账，可在会员中心查看'],
  url: 'https://yuehui.example.com/r/AB12CD34?tenant=demo',
  code: 'AB12CD34',
};

/** Decodes with pngjs, not with the renderer, so a malformed PNG cannot pass. */
const decodePng = (png: Buffer) => {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  return PNG.sync.read(png);
};

const scan = ({ data, width, height }: { data: Uint8Array | Uint8ClampedArray; width: number; height: number }) =>
  jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height)?.data;

const expectDomainError = async (promise: Promise<unknown>, code: string) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
};

describe('renderReferralPoster', () => {
  it('renders a 750×1334 PNG whose QR code scans back to the referral link', async () => {
    const image = decodePng(await renderReferralPoster(poster));
    expect([image.width, image.height]).toEqual([POSTER_WIDTH, POSTER_HEIGHT]);
    expect(scan(image)).toBe(poster.url);
  });

  it('keeps the QR code scannable when four long benefit texts crowd the card', async () => {
    const crowded = {
      ...poster,
      clinicName: '上海市某某区悦颜医疗美容门诊部有限公司（旗舰店）',
      lines: Array.from(
        { length: 4 },
        (_, index) => `第${index + 1}条：好友首次到店成交后，双方各得 500 积分，积分可在会员商城兑换护理项目，有效期一年，不与其他优惠同享。`,
      ),
      url: `${poster.url}&campaign=spring-2025-member-get-member`,
    };
    const image = decodePng(await renderReferralPoster(crowded));
    expect(scan(image)).toBe(crowded.url);
  });

  it('renders a poster in well under a second once the font is loaded', async () => {
    await renderReferralPoster(poster);
    const started = performance.now();
    await renderReferralPoster({ ...poster, referrerName: '李*', code: 'ZX98YU76' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects a poster with more than four benefit lines', async () => {
    await expectDomainError(renderReferralPoster({ ...poster, lines: ['一', '二', '三', '四', '五'] }), 'POSTER_LINES_INVALID');
  });

  it('rejects a poster without a referral code', async () => {
    await expectDomainError(renderReferralPoster({ ...poster, code: ' ' }), 'POSTER_FIELD_EMPTY');
  });
});

describe('poster font', () => {
  it('covers every GB2312 level-1 hanzi, and Latin letters, digits and Chinese punctuation', async () => {
    const gbk = new TextDecoder('gbk');
    let levelOne = '';
    // GB2312 level 1 (一级字库): rows 16–55, 3755 characters in pinyin order.
    for (let row = 0xb0; row <= 0xd7; row++) {
      for (let cell = 0xa1; cell <= 0xfe; cell++) {
        const character = gbk.decode(new Uint8Array([row, cell]));
        if (/^\p{Script=Han}$/u.test(character)) levelOne += character;
      }
    }
    expect(levelOne).toHaveLength(3755);
    expect(await missingPosterGlyphs(levelOne)).toEqual([]);
    expect(await missingPosterGlyphs('ABCxyz0123456789，。：；！？（）「」¥%…—')).toEqual([]);
    expect(await missingPosterGlyphs('\u{E000}')).toEqual(['\u{E000}']);
  });

  const sample = Array.from('邀请您体验积分优惠券现金返利王好友成交AB12');

  /** Draws one character in black on white and returns which pixels are dark, and how much ink it took. */
  const drawCharacter = (character: string, font: string) => {
    const canvas = createCanvas(64, 64);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 64, 64);
    ctx.fillStyle = '#000000';
    ctx.font = font;
    ctx.fillText(character, 8, 52);
    const pixels = ctx.getImageData(0, 0, 64, 64).data;
    let bits = '';
    let ink = 0;
    for (let index = 0; index < pixels.length; index += 4) {
      const red = pixels[index] ?? 255;
      bits += red < 128 ? '1' : '0';
      ink += (255 - red) / 255;
    }
    return { bits, ink };
  };

  it('draws each poster character as its own glyph, not as the missing-glyph box', async () => {
    const family = await loadPosterFont(sample.join(''));
    // U+E000 is private use: no font has it, so it shows what a missing glyph looks like.
    const missing = drawCharacter('\u{E000}', `48px "${family}"`);
    const glyphs = sample.map((character) => drawCharacter(character, `48px "${family}"`));
    for (const glyph of glyphs) {
      expect(glyph.ink).toBeGreaterThan(20);
      expect(glyph.bits).not.toBe(missing.bits);
    }
    // Missing glyphs all draw the same box; real glyphs all differ.
    expect(new Set(glyphs.map((glyph) => glyph.bits)).size).toBe(sample.length);
  });

  it('draws the characters with the packaged variable font, whatever fonts the machine has', async () => {
    // A machine with a CJK system font would fill in the glyphs above even without the packaged
    // font. Only a variable font draws weight 100 hairline-thin and 900 black, about 4× the ink;
    // a static system font draws both near regular (synthetic bold adds under 2×), a box exactly 1×.
    const family = await loadPosterFont(sample.join(''));
    for (const character of sample) {
      const thin = drawCharacter(character, `100 48px "${family}"`);
      const black = drawCharacter(character, `900 48px "${family}"`);
      expect(black.ink / thin.ink, character).toBeGreaterThan(2.5);
    }
  });
});

describe('qrPng', () => {
  it('draws a PNG of exactly the requested size that scans back to the text', async () => {
    for (const [text, size] of [
      ['YH-VOUCHER-7F3K9Q', 300],
      ['https://yuehui.example.com/v/7F3K9Q?券=满500减50', 512],
    ] as const) {
      const image = decodePng(await qrPng(text, size));
      expect([image.width, image.height]).toEqual([size, size]);
      expect(scan(image)).toBe(text);
    }
  });

  it('is 512 pixels square by default', async () => {
    const image = decodePng(await qrPng('YH-VOUCHER-7F3K9Q'));
    expect([image.width, image.height]).toEqual([512, 512]);
  });

  it('rejects a size too small for the code, and empty text', async () => {
    await expectDomainError(qrPng('YH-VOUCHER-7F3K9Q', 20), 'QR_SIZE_INVALID');
    await expectDomainError(qrPng(''), 'QR_TEXT_EMPTY');
  });
});

describe('qrSvg', () => {
  it('returns an SVG that scans back to the text once rasterised', async () => {
    const text = 'https://yuehui.example.com/r/AB12CD34';
    const svg = await qrSvg(text);
    expect(svg).toMatch(/^<svg[^>]*viewBox="0 0 \d+ \d+"/);
    const image = await loadImage(Buffer.from(svg));
    const canvas = createCanvas(400, 400);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0, 400, 400);
    expect(scan({ data: ctx.getImageData(0, 0, 400, 400).data, width: 400, height: 400 })).toBe(text);
  });
});

describe('wrapText', () => {
  // Every character 10 wide: rows of at most 5 characters fit in 50.
  const measure = (text: string) => Array.from(text).length * 10;

  it('breaks Chinese text between any two characters to fill each row', () => {
    expect(wrapText('好友首次到店成交双方各得积分', 50, measure)).toEqual(['好友首次到', '店成交双方', '各得积分']);
  });

  it('never starts a row with closing punctuation: the character before it moves down too', () => {
    expect(wrapText('好友首次到，店成交', 50, measure)).toEqual(['好友首次', '到，店成交']);
  });

  it('never ends a row with opening punctuation', () => {
    expect(wrapText('领取新客券（限项目', 60, measure)).toEqual(['领取新客券', '（限项目']);
  });

  it('keeps Latin words and numbers whole', () => {
    expect(wrapText('双方各得 1000 积分', 60, measure)).toEqual(['双方各得', '1000 积', '分']);
  });

  it('breaks a single word wider than the row by character', () => {
    expect(wrapText('见https://a.cn/abcdef', 50, measure)).toEqual(['见', 'https', '://a.', 'cn/ab', 'cdef']);
  });

  it('loses no character and adds none', () => {
    const alphabet = fc.constantFrom(...Array.from('好友首次到店成交双方各得积分，。（）「」 AB12'));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.integer({ min: 10, max: 120 }), (characters, width) => {
        const text = characters.join('');
        expect(wrapText(text, width, measure).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
    );
  });
});

describe('posterCache', () => {
  const counting = () => {
    const drawn: string[] = [];
    const render = async (input: ReferralPosterInput) => {
      drawn.push(input.code);
      if (input.code === 'FAIL') throw new Error('render failed');
      return Buffer.from(`png of ${input.code}`);
    };
    return { drawn, render };
  };

  it('draws a poster once for the same content, again when anything drawn differs, and names the content by its tag', async () => {
    const { drawn, render } = counting();
    const posters = posterCache(render, 10);
    const first = await posters(poster);
    const again = await posters({ ...poster });
    const other = await posters({ ...poster, lines: [...poster.lines, '新的一行'] });
    expect(drawn).toHaveLength(2);
    expect(again).toEqual(first);
    expect(other.etag).not.toBe(first.etag);
    expect(first.etag).toMatch(/^"[\w-]{27}"$/);
  });

  it('keeps at most its capacity, the least recently used leaving first, and never keeps a failed render', async () => {
    const { drawn, render } = counting();
    const posters = posterCache(render, 2);
    await posters({ ...poster, code: 'A' });
    await posters({ ...poster, code: 'B' });
    await posters({ ...poster, code: 'A' });
    await posters({ ...poster, code: 'C' });
    await posters({ ...poster, code: 'A' });
    await posters({ ...poster, code: 'B' });
    expect(drawn).toEqual(['A', 'B', 'C', 'B']);
    await expect(posters({ ...poster, code: 'FAIL' })).rejects.toThrow('render failed');
    await expect(posters({ ...poster, code: 'FAIL' })).rejects.toThrow('render failed');
    expect(drawn.filter((code) => code === 'FAIL')).toHaveLength(2);
  });
});
