import sharp from 'sharp';

/** What an image shows; the scene decides the shapes, the file name decides the colours. */
export type ImageScene = 'landscape' | 'chart' | 'logo' | 'mockup' | 'document';
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'svg';

export interface ImageSpec {
  width: number;
  height: number;
  format: ImageFormat;
  scene: ImageScene;
  /** Printed on the image (the file name, usually), with the size under it. */
  label: string;
}

/**
 * A picture drawn from an SVG we write (gradients, shapes and a caption), rasterised by sharp. For
 * 'svg' the SVG itself is the file. Same spec, same bytes: nothing random, colours come from a hash of
 * the label.
 */
export async function image(spec: ImageSpec): Promise<Buffer> {
  const svg = Buffer.from(sceneSvg(spec));
  if (spec.format === 'svg') return svg;
  const raster = sharp(svg, { density: 72, limitInputPixels: false }).resize(spec.width, spec.height, { fit: 'fill' })
    .removeAlpha(); // every scene paints an opaque background: RGB files, like photos and scans
  switch (spec.format) {
    // Moderate quality and no mozjpeg trellis: a 6000×4000 JPEG in about a second instead of several.
    case 'jpeg': return raster.jpeg({ quality: 75, mozjpeg: false, chromaSubsampling: '4:2:0' }).toBuffer();
    case 'png': return raster.png({ compressionLevel: 6 }).toBuffer();
    case 'webp': return raster.webp({ quality: 75, effort: 2 }).toBuffer();
    case 'gif': return raster.gif({ colours: 64, effort: 3 }).toBuffer();
    case 'tiff': return raster.tiff({ compression: 'deflate' }).toBuffer();
  }
}

export function sceneSvg({ width: w, height: h, scene, label }: ImageSpec): string {
  const hue = hash(label) % 360;
  const body = SCENES[scene](w, h, hue);
  const caption = Math.max(12, Math.round(Math.min(w, h) / 18));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    body +
    `<g font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">` +
    `<rect x="${caption * 0.6}" y="${h - caption * 3.1}" width="${Math.min(w - caption * 1.2, caption * (label.length * 0.62 + 1.5))}" height="${caption * 2.6}" rx="${caption * 0.3}" fill="#000" fill-opacity="0.45"/>` +
    `<text x="${caption * 1.1}" y="${h - caption * 1.85}" font-size="${caption}" fill="#fff">${escapeXml(label)}</text>` +
    `<text x="${caption * 1.1}" y="${h - caption * 0.9}" font-size="${caption * 0.7}" fill="#ddd">${w} × ${h}</text>` +
    '</g></svg>';
}

const SCENES: Record<ImageScene, (w: number, h: number, hue: number) => string> = {
  // Sky, sun and green hills with turbines: stands in for the sample site's photos (grass, turbines, windmills).
  landscape: (w, h, hue) =>
    gradient('sky', `hsl(${190 + (hue % 40)},70%,55%)`, `hsl(${180 + (hue % 40)},60%,85%)`) +
    `<rect width="${w}" height="${h}" fill="url(#sky)"/>` +
    `<circle cx="${w * 0.78}" cy="${h * 0.24}" r="${Math.min(w, h) * 0.1}" fill="hsl(45,95%,65%)"/>` +
    `<path d="M0 ${h * 0.62} Q ${w * 0.25} ${h * 0.45} ${w * 0.5} ${h * 0.6} T ${w} ${h * 0.55} V ${h} H 0 Z" fill="hsl(${70 + (hue % 50)},45%,42%)"/>` +
    `<path d="M0 ${h * 0.75} Q ${w * 0.3} ${h * 0.65} ${w * 0.6} ${h * 0.78} T ${w} ${h * 0.72} V ${h} H 0 Z" fill="hsl(${80 + (hue % 50)},50%,30%)"/>` +
    turbine(w * 0.3, h * 0.56, h * 0.3) + turbine(w * 0.45, h * 0.6, h * 0.22),
  chart: (w, h, hue) => {
    const bars = [0.35, 0.5, 0.42, 0.66, 0.58, 0.8];
    const bw = (w * 0.7) / bars.length;
    return `<rect width="${w}" height="${h}" fill="#f7f7f2"/>` +
      `<path d="M${w * 0.12} ${h * 0.1} V ${h * 0.72} H ${w * 0.9}" stroke="#555" stroke-width="${Math.max(1, w / 400)}" fill="none"/>` +
      bars.map((v, i) => `<rect x="${w * 0.15 + i * bw}" y="${h * (0.72 - v * 0.6)}" width="${bw * 0.7}" height="${h * v * 0.6}" fill="hsl(${(hue + i * 25) % 360},55%,50%)"/>`).join('');
  },
  logo: (w, h, hue) => {
    const r = Math.min(w, h) * 0.3;
    return `<rect width="${w}" height="${h}" fill="#fff"/>` +
      gradient('badge', `hsl(${hue},65%,45%)`, `hsl(${(hue + 40) % 360},70%,60%)`) +
      `<circle cx="${w / 2}" cy="${h * 0.42}" r="${r}" fill="url(#badge)"/>` +
      `<path d="M${w / 2 - r * 0.5} ${h * 0.42 + r * 0.3} L ${w / 2} ${h * 0.42 - r * 0.55} L ${w / 2 + r * 0.5} ${h * 0.42 + r * 0.3} Z" fill="#fff"/>`;
  },
  // A web page wireframe, like the sample site's mock-ups.
  mockup: (w, h, hue) => {
    const bar = h * 0.07;
    const rows = [0.42, 0.5, 0.58, 0.66].map((y, i) => `<rect x="${w * 0.38}" y="${h * y}" width="${w * (0.5 - i * 0.07)}" height="${h * 0.03}" fill="#ccc"/>`);
    return `<rect width="${w}" height="${h}" fill="#eef0f3"/>` +
      `<rect width="${w}" height="${bar}" fill="#d5d8dd"/>` +
      [0.03, 0.06, 0.09].map((x, i) => `<circle cx="${w * x}" cy="${bar / 2}" r="${bar * 0.2}" fill="${['#e66', '#eb4', '#5b5'][i]}"/>`).join('') +
      `<rect y="${bar}" width="${w}" height="${h * 0.18}" fill="hsl(${hue},50%,40%)"/>` +
      `<rect x="${w * 0.05}" y="${h * 0.32}" width="${w * 0.28}" height="${h * 0.45}" fill="hsl(${(hue + 30) % 360},40%,75%)"/>` +
      rows.join('');
  },
  // A paper page with a heading and table lines, like a scanned invoice.
  document: (w, h, hue) => {
    const lines = Array.from({ length: 8 }, (_, i) => `<rect x="${w * 0.12}" y="${h * (0.3 + i * 0.06)}" width="${w * 0.76}" height="${Math.max(1, h / 300)}" fill="#bbb"/>`);
    return `<rect width="${w}" height="${h}" fill="#e8e4da"/>` +
      `<rect x="${w * 0.06}" y="${h * 0.04}" width="${w * 0.88}" height="${h * 0.92}" fill="#fff"/>` +
      `<rect x="${w * 0.12}" y="${h * 0.1}" width="${w * 0.3}" height="${h * 0.08}" fill="hsl(${hue},45%,40%)"/>` +
      `<rect x="${w * 0.6}" y="${h * 0.82}" width="${w * 0.28}" height="${h * 0.05}" fill="hsl(${hue},45%,80%)"/>` +
      lines.join('');
  },
};

function turbine(x: number, y: number, height: number): string {
  const blade = height * 0.45;
  return `<g stroke="#f4f4f4" stroke-linecap="round"><line x1="${x}" y1="${y}" x2="${x}" y2="${y - height}" stroke-width="${height * 0.04}"/>` +
    [0, 120, 240].map((a) => `<line x1="${x}" y1="${y - height}" x2="${x + blade * Math.sin((a * Math.PI) / 180)}" y2="${y - height - blade * Math.cos((a * Math.PI) / 180)}" stroke-width="${height * 0.03}"/>`).join('') +
    '</g>';
}

function gradient(id: string, from: string, to: string): string {
  return `<defs><linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>`;
}

/** FNV-1a: a stable small hash, so each file name gets its own colours. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const char of text) h = Math.imul(h ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return h;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[char]!);
}
