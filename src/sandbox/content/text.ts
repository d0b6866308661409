/** Small text formats. Each takes a title so that two files never read the same, and nothing varies by run. */

export function plainText(title: string, body?: string): Buffer {
  const text = body ?? `${title}\n${'='.repeat([...title].length)}\n\nA sample file of the fs-picker sandbox.\nGenerated content; the same bytes on every run.\n`;
  return Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8');
}

/** RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break. */
export function csv(rows: readonly (readonly (string | number)[])[]): Buffer {
  const field = (value: string | number): string => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return Buffer.from(rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n', 'utf8');
}

export function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

export function markdown(title: string, sections: readonly { heading: string; lines: readonly string[] }[]): Buffer {
  const parts = [`# ${title}`, ...sections.map(({ heading, lines }) => [`## ${heading}`, '', ...lines].join('\n'))];
  return Buffer.from(parts.join('\n\n') + '\n', 'utf8');
}

export function html(title: string, paragraphs: readonly string[]): Buffer {
  const escape = (text: string): string => text.replace(/[<>&]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[char]!);
  return Buffer.from(
    `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escape(title)}</title></head>\n<body>\n` +
      `<h1>${escape(title)}</h1>\n${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n')}\n</body>\n</html>\n`,
    'utf8',
  );
}

/** A small table of plausible figures, stable for a given title (used by csv, json and xlsx samples). */
export function sampleRows(title: string, count = 12): (string | number)[][] {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  let seed = [...title].reduce((sum, char) => (sum * 31 + char.codePointAt(0)!) >>> 0, 17);
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 1000;
  return [['Month', 'Visitors', 'Orders', 'Revenue (EUR)'], ...Array.from({ length: count }, (_, i) => {
    const visitors = 1000 + next() * 5;
    const orders = Math.round(visitors / (20 + (next() % 10)));
    return [`${months[i % 12]} 2011`, visitors, orders, orders * 42];
  })];
}

export function xmlDocument(title: string, paragraphs: readonly string[]): Buffer {
  const escape = (text: string): string => text.replace(/[<>&"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[char]!);
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<document title="${escape(title)}">\n` +
      paragraphs.map((p) => `  <paragraph>${escape(p)}</paragraph>\n`).join('') + '</document>\n',
    'utf8',
  );
}

/** RTF 1.x; characters beyond ASCII as \\uN? escapes, so any text survives. */
export function rtf(title: string, paragraphs: readonly string[]): Buffer {
  const escape = (text: string): string => [...text].map((char) => {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === '{' || char === '}') return `\\${char}`;
    if (code < 128) return char;
    // \uN takes a signed 16-bit UTF-16 unit; characters beyond the BMP go as their surrogate pair.
    const units = Buffer.from(char, 'utf16le');
    let escaped = '';
    for (let i = 0; i < units.length; i += 2) escaped += `\\u${units.readInt16LE(i)}?`;
    return escaped;
  }).join('');
  return Buffer.from(
    `{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\n{\\b\\fs36 ${escape(title)}\\par}\n` +
      paragraphs.map((p) => `${escape(p)}\\par\n`).join('') + '}\n',
    'latin1',
  );
}
