import sharp from 'sharp';
import { encodeH264, type YuvFrame } from './h264.ts';
import { mp4 } from './mp4.ts';

export interface ClipSpec {
  title: string;
  /** Multiples of 16 (whole macroblocks). */
  width: number;
  height: number;
  seconds: number;
  framesPerSecond: number;
}

/**
 * A short MP4 clip: a title card with a moving marker and a progress bar, drawn frame by frame from
 * SVG by sharp and encoded by our own lossless H.264 writer. Only what moves costs bytes.
 */
export async function clip({ title, width, height, seconds, framesPerSecond }: ClipSpec): Promise<Buffer> {
  const count = Math.round(seconds * framesPerSecond);
  const frames: YuvFrame[] = [];
  for (let i = 0; i < count; i++) {
    const progress = count === 1 ? 1 : i / (count - 1);
    const { data } = await sharp(Buffer.from(frameSvg(title, width, height, progress, i / framesPerSecond)))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    frames.push(toYuv420(data, width, height));
  }
  return mp4({ width, height, framesPerSecond, stream: encodeH264(frames) });
}

function frameSvg(title: string, w: number, h: number, progress: number, time: number): string {
  const x = w * 0.12 + progress * w * 0.76;
  const seconds = `0:${String(Math.floor(time)).padStart(2, '0')}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
    `<rect width="${w}" height="${h}" fill="#1f3b2f"/>` +
    `<rect x="${w * 0.08}" y="${h * 0.12}" width="${w * 0.84}" height="${h * 0.5}" rx="6" fill="#eef0f3"/>` +
    `<rect x="${w * 0.08}" y="${h * 0.12}" width="${w * 0.84}" height="${h * 0.1}" fill="#2a6b4f"/>` +
    `<circle cx="${x}" cy="${h * 0.45}" r="${h * 0.06}" fill="#e0a030"/>` +
    `<text x="${w / 2}" y="${h * 0.78}" font-family="DejaVu Sans, sans-serif" font-size="${h * 0.08}" fill="#fff" text-anchor="middle">${title.replace(/[<>&]/g, ' ')}</text>` +
    `<rect x="${w * 0.08}" y="${h * 0.88}" width="${w * 0.84 * progress}" height="${h * 0.03}" fill="#e0a030"/>` +
    `<text x="${w * 0.92}" y="${h * 0.85}" font-family="DejaVu Sans Mono, monospace" font-size="${h * 0.05}" fill="#ccc" text-anchor="end">${seconds}</text>` +
    '</svg>';
}

/** RGB to Y'CbCr (BT.601, limited range: what decoders assume without colour info), chroma averaged 2×2. */
function toYuv420(rgb: Buffer, width: number, height: number): YuvFrame {
  const y = new Uint8Array(width * height);
  const u = new Uint8Array((width / 2) * (height / 2));
  const v = new Uint8Array(u.length);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [rgb[i * 3]!, rgb[i * 3 + 1]!, rgb[i * 3 + 2]!];
    y[i] = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
  }
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < width / 2; cx++) {
      let cb = 0;
      let cr = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const p = ((cy * 2 + dy) * width + cx * 2 + dx) * 3;
        const [r, g, b] = [rgb[p]!, rgb[p + 1]!, rgb[p + 2]!];
        cb += 128 + (-37.797 * r - 74.203 * g + 112 * b) / 255;
        cr += 128 + (112 * r - 93.786 * g - 18.214 * b) / 255;
      }
      u[cy * (width / 2) + cx] = Math.round(cb / 4);
      v[cy * (width / 2) + cx] = Math.round(cr / 4);
    }
  }
  return { width, height, y, u, v };
}
