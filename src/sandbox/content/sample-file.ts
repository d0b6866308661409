import type { SampleFile, SampleFileOptions } from './index.ts';
import { wav } from './audio.ts';
import { image, type ImageFormat, type ImageScene } from './images.ts';
import { extensionOf, mimeTypeOf } from './mime-types.ts';
import { docx, pptx, xlsx } from './ooxml.ts';
import { pdf } from './pdf.ts';
import { syntheticBuffer, syntheticBytes } from './synthetic.ts';
import { csv, html, json, markdown, plainText, rtf, sampleRows, xmlDocument } from './text.ts';
import { clip } from './video.ts';
import { zip } from './zip.ts';

/** A SampleFile from a name and a generator; the mimetype follows the name, as Alfresco's does. */
export function file(name: string, bytes: () => Buffer | Promise<Buffer>, meta: Pick<SampleFile, 'title' | 'description'> = {}): SampleFile {
  return {
    name,
    ...mimeTypeOf(name),
    bytes: async () => bytes(),
    ...(meta.title === undefined ? {} : { title: meta.title }),
    ...(meta.description === undefined ? {} : { description: meta.description }),
  };
}

/** A large file whose bytes are the synthetic pattern: give the seed `size` and `stream`, not `bytes`. */
export function syntheticFile(name: string, size: number, meta: Pick<SampleFile, 'title' | 'description'> = {}): SampleFile {
  return {
    ...file(name, () => syntheticBuffer(0, size), meta),
    size,
    stream: (start = 0, end = size) => syntheticBytes(size, start, end),
  };
}

const IMAGE_FORMATS: Record<string, ImageFormat> = {
  jpg: 'jpeg', jpeg: 'jpeg', jpe: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', svg: 'svg', tif: 'tiff', tiff: 'tiff',
};

/**
 * A plausible file for any name, chosen by extension: a picture for image names, a real PDF, OOXML
 * package, WAV, MP4 or zip for those, text for text formats. Legacy Office names (.doc, .xls, .ppt) get
 * the OOXML equivalent (Office and LibreOffice open it by content). Anything else (including types we
 * cannot write honestly, such as .mp3 or .mov) gets 4 KiB of the synthetic pattern under its
 * extension's mimetype, as Alfresco would label such an upload. Nothing is generated until `bytes()`.
 */
export function sampleFile(name: string, options: SampleFileOptions = {}): SampleFile {
  const extension = extensionOf(name);
  const base = name.slice(0, name.length - extension.length - (extension ? 1 : 0)) || name;
  const title = options.title ?? base;
  const meta = { title: options.title, description: options.description };
  const paragraphs = (options.text ?? `${title}\n\nA sample ${extension || 'file'} of the fs-picker sandbox. ` +
    'Its content is generated, and the same on every run.').split(/\n\s*\n/);

  const format = IMAGE_FORMATS[extension];
  if (format) {
    const width = options.width ?? (format === 'svg' ? 640 : 1024);
    const height = options.height ?? Math.round((width * 3) / 4);
    return file(name, () => image({ width, height, format, scene: options.scene ?? sceneFor(name), label: name }), meta);
  }
  switch (extension) {
    case 'pdf':
      return file(name, () => pdf({ title, subject: options.description, pages: [[{ text: title, size: 20, bold: true }, { text: '' }, ...paragraphs.slice(1).map((text) => ({ text }))]] }), meta);
    case 'txt': case 'log':
      return file(name, () => plainText(title, options.text), meta);
    case 'csv':
      return file(name, () => csv(sampleRows(title)), meta);
    case 'json':
      return file(name, () => json({ title, generatedBy: 'fs-picker sandbox', rows: sampleRows(title, 3) }), meta);
    case 'md':
      return file(name, () => markdown(title, [{ heading: 'About', lines: paragraphs.slice(1) }]), meta);
    case 'html': case 'htm':
      return file(name, () => html(title, paragraphs.slice(1)), meta);
    case 'xml':
      return file(name, () => xmlDocument(title, paragraphs.slice(1)), meta);
    case 'rtf':
      return file(name, () => rtf(title, paragraphs.slice(1)), meta);
    case 'css':
      return file(name, () => plainText(title, `/* ${title} */\nbody { font-family: sans-serif; color: #1f3b2f; }\n`), meta);
    case 'js':
      return file(name, () => plainText(title, `// ${title}\nexport const greeting = ${JSON.stringify(`Hello from ${title}`)};\n`), meta);
    case 'doc': case 'docx':
      return file(name, () => docx({ title }, paragraphs.map((text, i) => (i === 0 ? { text, heading: 1 as const } : { text }))), meta);
    case 'xls': case 'xlsx':
      return file(name, () => xlsx({ title }, [{ name: 'Sheet1', rows: sampleRows(title) }]), meta);
    case 'ppt': case 'pptx':
      return file(name, () => pptx({ title }, [{ title, bullets: paragraphs.slice(1) }]), meta);
    case 'wav':
      return file(name, () => wav({ seconds: 1.5, notes: [523.25, 659.25, 783.99] }), meta);
    case 'mp4':
      return file(name, () => clip({ title, width: sixteen(options.width ?? 320), height: sixteen(options.height ?? 240), seconds: 2, framesPerSecond: 10 }), meta);
    case 'zip':
      return file(name, () => zip([
        { name: 'README.txt', data: plainText(title) },
        { name: 'data/figures.csv', data: csv(sampleRows(title)) },
      ]), meta);
    default:
      return file(name, () => syntheticBuffer(0, 4096), meta);
  }
}

function sceneFor(name: string): ImageScene {
  const lower = name.toLowerCase();
  if (/logo|icon|bulb/.test(lower)) return 'logo';
  if (/sample|mock|header|screen/.test(lower)) return 'mockup';
  if (/inv|scan|receipt|page/.test(lower)) return 'document';
  if (/graph|chart|money|coins/.test(lower)) return 'chart';
  return 'landscape';
}

function sixteen(pixels: number): number {
  return Math.max(16, Math.floor(pixels / 16) * 16);
}
