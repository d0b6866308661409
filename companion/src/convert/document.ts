import { availableParallelism } from 'node:os';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FsError } from 'fs-picker/protocol';
import { isolatedCommand, officeEnvironment, writeOfficeProfile } from './office-sandbox.ts';
import { findTool, Gate, runTool, type ToolLookup } from './tools.ts';

/*
 * Documents: office files to PDF with LibreOffice headless, and one page of a PDF to a PNG with poppler.
 * Both work on files in a per-call temporary folder (the caller makes it and removes it).
 */

/** Office formats LibreOffice turns into PDF, by extension and by MIME type. */
export const OFFICE_EXTENSIONS = ['.doc', '.docx', '.xls', '.xlsx', '.ppt', '.pptx', '.odt', '.ods', '.odp', '.rtf'] as const;
export const OFFICE_MIMETYPES = [
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/rtf',
  'text/rtf',
] as const;

export function isOffice(filename: string, mimetype: string): boolean {
  return (OFFICE_MIMETYPES as readonly string[]).includes(mimetype) || (OFFICE_EXTENSIONS as readonly string[]).includes(extname(filename).toLowerCase());
}

export function isPdf(filename: string, mimetype: string): boolean {
  return mimetype === 'application/pdf' || extname(filename).toLowerCase() === '.pdf';
}

export interface DocumentLimits {
  /** LibreOffice's time per document. */
  officeTimeoutMs: number;
  /** pdfinfo's and pdftoppm's time per call. */
  renderTimeoutMs: number;
  /** Resolution of rendered pages, dots per inch. */
  dpi: number;
  /** The most pixels a rendered page may have (larger pages are FS_ERR_TOO_LARGE). */
  maxPagePixels: number;
  /** Office conversions that may wait for LibreOffice; one more is 503 FS_ERR_BUSY with Retry-After. */
  officeQueue: number;
}

export const DEFAULT_OFFICE_QUEUE = 8;

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = { officeTimeoutMs: 120_000, renderTimeoutMs: 60_000, dpi: 150, maxPagePixels: 100_000_000, officeQueue: DEFAULT_OFFICE_QUEUE };

// LibreOffice instances at once: each takes a core and a few hundred megabytes.
export const officeGate = new Gate(Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2))), 'LibreOffice');

/**
 * Converts `input` (an office file inside `workDir`, with its real extension) to PDF and returns the
 * PDF's path. Each call has its own fresh LibreOffice profile (`-env:UserInstallation`, which loads no
 * links), so calls can run in parallel without sharing a lock, and gets only a minimal environment and,
 * where the machine allows it, no network (office-sandbox.ts). At most `limits.officeQueue` calls wait
 * for LibreOffice (then FS_ERR_BUSY); `signal` takes a waiting call out of the queue, or kills its
 * LibreOffice.
 */
export async function officeToPdf(input: string, workDir: string, tools: ToolLookup, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS, signal?: AbortSignal): Promise<string> {
  const soffice = await findTool('soffice', tools);
  const outDir = join(workDir, 'out');
  const profile = join(workDir, 'profile');
  await mkdir(outDir, { recursive: true });
  await writeOfficeProfile(profile);
  const args = [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nolockcheck', '--convert-to', 'pdf', '--outdir', outDir, input];
  const command = await isolatedCommand(soffice, args);
  await officeGate.run(
    () => runTool('LibreOffice', command.file, command.args, { timeoutMs: limits.officeTimeoutMs, cwd: workDir, env: officeEnvironment(soffice, workDir), ...(signal === undefined ? {} : { signal }) }),
    { maxWaiting: limits.officeQueue, ...(signal === undefined ? {} : { signal }) },
  );
  const produced = (await readdir(outDir)).find((name) => name.toLowerCase().endsWith('.pdf'));
  if (produced === undefined) throw new FsError('FS_ERR_INTERNAL', 'LibreOffice could not convert this document to PDF (it may be damaged or password-protected).');
  await rm(profile, { recursive: true, force: true });
  return join(outDir, produced);
}

export interface PdfInfo {
  pages: number;
}

/** The page count of a PDF (poppler's pdfinfo). */
export async function pdfInfo(pdf: string, tools: ToolLookup, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS): Promise<PdfInfo & { pageSize?: { width: number; height: number } }> {
  const pdfinfo = await findTool('pdfinfo', tools);
  const { stdout } = await runTool('pdfinfo', pdfinfo, [pdf], { timeoutMs: limits.renderTimeoutMs }).catch((error: unknown) => {
    throw new FsError('FS_ERR_INVALID_REQUEST', 'convert: the file is not a PDF that can be read.', { cause: error });
  });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1] ?? 0);
  return { pages };
}

/** The size in points of page `page` (pdfinfo -f N -l N). */
async function pageSize(pdfinfo: string, pdf: string, page: number, limits: DocumentLimits): Promise<{ width: number; height: number } | undefined> {
  const { stdout } = await runTool('pdfinfo', pdfinfo, ['-f', String(page), '-l', String(page), pdf], { timeoutMs: limits.renderTimeoutMs });
  const match = /^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)/m.exec(stdout);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/**
 * Renders page `page` (1-based) of `pdf` as a PNG at `limits.dpi` and returns its bytes. A page past the
 * end is FS_ERR_INVALID_OPTION naming "page"; a page whose rendering would exceed `maxPagePixels` is
 * FS_ERR_TOO_LARGE (checked from the page size before rendering).
 */
export async function renderPdfPage(pdf: string, page: number, workDir: string, tools: ToolLookup, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS): Promise<Buffer> {
  const pdfinfo = await findTool('pdfinfo', tools);
  const pdftoppm = await findTool('pdftoppm', tools);
  const { pages } = await pdfInfo(pdf, tools, limits);
  if (page > pages) throw new FsError('FS_ERR_INVALID_OPTION', `convert: option "page" is ${page}, but the document has ${pages} page${pages === 1 ? '' : 's'}`, { field: 'page' });
  const size = await pageSize(pdfinfo, pdf, page, limits);
  if (size !== undefined) {
    const pixels = (size.width / 72) * limits.dpi * ((size.height / 72) * limits.dpi);
    if (pixels > limits.maxPagePixels) {
      throw new FsError('FS_ERR_TOO_LARGE', `convert: page ${page} is too large to render (${Math.round(pixels / 1e6)} megapixels at ${limits.dpi} dpi; at most ${limits.maxPagePixels / 1e6}).`);
    }
  }
  const prefix = join(workDir, 'page');
  await runTool('pdftoppm', pdftoppm, ['-f', String(page), '-l', String(page), '-png', '-r', String(limits.dpi), '-singlefile', pdf, prefix], { timeoutMs: limits.renderTimeoutMs });
  return readFile(`${prefix}.png`);
}
