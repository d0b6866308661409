/** A line of text on a PDF page. */
export interface PdfLine {
  text: string;
  /** Font size in points; 11 unless given. */
  size?: number;
  bold?: boolean;
}

export interface PdfDocument {
  title: string;
  author?: string;
  subject?: string;
  /** Each page is a list of lines, top to bottom; long lines are wrapped. */
  pages: PdfLine[][];
}

const PAGE_WIDTH = 612; // US Letter, in points
const PAGE_HEIGHT = 792;
const MARGIN = 72;
/** Fixed dates keep the bytes the same on every run (the sample site's content dates from Feb 2011). */
const PDF_DATE = 'D:20110201090000Z';

/**
 * A small, valid PDF 1.4 written by hand: catalog, page tree, the two standard Helvetica fonts (no
 * embedding needed), an Info dictionary and one content stream per page, with a byte-exact xref table.
 * Text uses WinAnsiEncoding, so characters outside Latin-1 become '?'.
 */
export function pdf(document: PdfDocument): Buffer {
  const objects: Buffer[] = []; // objects[i] is object number i + 1
  const add = (body: string | Buffer): number => {
    objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    return objects.length;
  };

  const catalog = add(''); // filled in once the page tree's number is known
  const pageTree = add('');
  const regular = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const bold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const info = add(
    `<< /Title ${pdfString(document.title)} /Author ${pdfString(document.author ?? 'fs-picker sandbox')}` +
      (document.subject === undefined ? '' : ` /Subject ${pdfString(document.subject)}`) +
      ` /Producer (fs-picker sandbox) /CreationDate (${PDF_DATE}) /ModDate (${PDF_DATE}) >>`,
  );

  const pageIds: number[] = [];
  for (const [index, lines] of document.pages.entries()) {
    const stream = Buffer.from(pageContent(lines, index + 1, document.pages.length), 'latin1');
    const contents = add(Buffer.concat([Buffer.from(`<< /Length ${stream.length} >>\nstream\n`), stream, Buffer.from('\nendstream')]));
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
          `/Resources << /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >> /Contents ${contents} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${pageTree} 0 R >>`);
  objects[pageTree - 1] = Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`);

  // The binary comment line tells transfer tools the file is binary, as the spec recommends.
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  for (const [index, body] of objects.entries()) {
    offsets.push(length);
    const object = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(object);
    length += object.length;
  }
  // Each xref entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, then space + LF.
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

function pageContent(lines: readonly PdfLine[], pageNumber: number, pageCount: number): string {
  // A coloured band at the top and a rule under it, so the page looks like a document, not a dump.
  const ops = [
    '0.16 0.42 0.31 rg', `0 ${PAGE_HEIGHT - 36} ${PAGE_WIDTH} 36 re f`,
    '0.6 0.6 0.6 RG 0.5 w', `${MARGIN} ${MARGIN - 20} m ${PAGE_WIDTH - MARGIN} ${MARGIN - 20} l S`,
    '0 g',
  ];
  let y = PAGE_HEIGHT - MARGIN;
  for (const line of lines) {
    const size = line.size ?? 11;
    const maxChars = Math.floor((PAGE_WIDTH - 2 * MARGIN) / (size * 0.5));
    for (const piece of wrap(line.text, maxChars)) {
      if (y < MARGIN) break; // the page is full: the rest is dropped rather than drawn off the page
      ops.push(`BT /${line.bold ? 'F2' : 'F1'} ${size} Tf ${MARGIN} ${y.toFixed(1)} Td ${pdfString(piece)} Tj ET`);
      y -= size * 1.45;
    }
  }
  ops.push(`BT /F1 9 Tf ${PAGE_WIDTH / 2 - 20} ${MARGIN - 36} Td ${pdfString(`Page ${pageNumber} of ${pageCount}`)} Tj ET`);
  return ops.join('\n');
}

function wrap(text: string, maxChars: number): string[] {
  if (text === '') return [''];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > maxChars) {
      out.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  out.push(line);
  return out;
}

/** A PDF literal string in WinAnsi (Latin-1 for the letters we use), with its delimiters escaped. */
function pdfString(text: string): string {
  const latin1 = [...text].map((char) => (char.charCodeAt(0) <= 0xff && char.length === 1 ? char : '?')).join('');
  return `(${latin1.replace(/[\\()]/g, (char) => `\\${char}`)})`;
}
