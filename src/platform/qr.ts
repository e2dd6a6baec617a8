import type { SKRSContext2D } from '@napi-rs/canvas';
import { createCanvas } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import { DomainError } from './errors.js';

const MAX_QR_BYTES = 2331;
export const QR_QUIET_MODULES = 4;

export const qrMatrix = (text: string) => {
  if (text.length === 0) throw new DomainError('invalid', 'QR_TEXT_EMPTY', '二维码内容不能为空');
  if (Buffer.byteLength(text, 'utf8') > MAX_QR_BYTES) throw new DomainError('invalid', 'QR_TEXT_TOO_LONG', '二维码内容过长');
  return QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
};

export type QrModules = ReturnType<typeof qrMatrix>;

/** Draws the dark modules snapped to whole pixels, so neighbouring modules never leave hairline seams. */
export const drawQrModules = (
  ctx: SKRSContext2D,
  modules: QrModules,
  { x, y, size, quietModules, color }: { x: number; y: number; size: number; quietModules: number; color: string },
) => {
  const span = modules.size + quietModules * 2;
  const edge = (index: number) => Math.round((index * size) / span);
  ctx.fillStyle = color;
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (!modules.get(row, column)) continue;
      const left = edge(column + quietModules);
      const top = edge(row + quietModules);
      ctx.fillRect(x + left, y + top, edge(column + quietModules + 1) - left, edge(row + quietModules + 1) - top);
    }
  }
};

/** An SVG QR code that scales to any size, for the portal and console to show a code or a link. */
export const qrSvg = async (text: string): Promise<string> => {
  qrMatrix(text);
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: QR_QUIET_MODULES, color: { dark: '#000000', light: '#ffffff' } });
};

/** A square PNG QR code of exactly `sizePx` pixels, quiet zone included. */
export const qrPng = async (text: string, sizePx = 512): Promise<Buffer> => {
  const modules = qrMatrix(text);
  const span = modules.size + QR_QUIET_MODULES * 2;
  if (!Number.isInteger(sizePx) || sizePx < span || sizePx > 4096) {
    throw new DomainError('invalid', 'QR_SIZE_INVALID', `二维码尺寸须为 ${span}–4096 像素的整数`);
  }
  const canvas = createCanvas(sizePx, sizePx);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, sizePx, sizePx);
  drawQrModules(ctx, modules, { x: 0, y: 0, size: sizePx, quietModules: QR_QUIET_MODULES, color: '#000000' });
  return canvas.encode('png');
};
