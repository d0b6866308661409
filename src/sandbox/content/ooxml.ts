import { zip, type ZipEntry } from './zip.ts';

/**
 * Office Open XML packages (ECMA-376): the few parts Word, Excel, PowerPoint and LibreOffice need
 * to open a document, zipped. Each package also carries docProps/core.xml, so the title and author show
 * in the applications' document properties.
 */

export interface DocumentMeta {
  title: string;
  creator?: string;
}

export interface WordParagraph {
  text: string;
  /** 1 = a large bold heading, 2 = a smaller one; plain body text otherwise. */
  heading?: 1 | 2;
}

export type Cell = string | number | { formula: string; value: number };

export interface Sheet {
  name: string;
  /** The first row is drawn bold, as a header. */
  rows: Cell[][];
}

export interface Slide {
  title: string;
  bullets: string[];
}

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Fixed, so the package is the same bytes on every run. */
const CREATED = '2011-02-01T09:00:00Z';

export function docx(meta: DocumentMeta, paragraphs: readonly WordParagraph[]): Buffer {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const body = paragraphs.map(({ text, heading }) => {
    const props = heading === 1 ? '<w:rPr><w:b/><w:color w:val="2A6B4F"/><w:sz w:val="36"/></w:rPr>'
      : heading === 2 ? '<w:rPr><w:b/><w:sz w:val="28"/></w:rPr>' : '';
    const spacing = heading ? '<w:pPr><w:spacing w:before="240" w:after="120"/></w:pPr>' : '';
    return `<w:p>${spacing}<w:r>${props}<w:t xml:space="preserve">${xml(text)}</w:t></w:r></w:p>`;
  });
  return pack(meta, 'word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml', [], [
    {
      name: 'word/document.xml',
      data: Buffer.from(
        `${XML_HEAD}<w:document xmlns:w="${W}"><w:body>${body.join('')}` +
          '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>' +
          '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>' +
          '</w:sectPr></w:body></w:document>',
      ),
    },
  ]);
}

export function xlsx(meta: DocumentMeta, sheets: readonly Sheet[]): Buffer {
  const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const sheetParts = sheets.map((sheet, index) => ({
    name: `xl/worksheets/sheet${index + 1}.xml`,
    // A wider first column: it holds the row labels.
    data: Buffer.from(`${XML_HEAD}<worksheet xmlns="${S}"><cols><col min="1" max="1" width="24" customWidth="1"/></cols><sheetData>${sheet.rows.map((row, r) => sheetRow(row, r)).join('')}</sheetData></worksheet>`),
  }));
  const workbook =
    `${XML_HEAD}<workbook xmlns="${S}" xmlns:r="${REL}"><sheets>` +
    sheets.map((sheet, index) => `<sheet name="${xml(sheet.name)}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`).join('') +
    '</sheets></workbook>';
  const workbookRels = relationships([
    ...sheets.map((_, index) => ({ type: `${REL}/worksheet`, target: `worksheets/sheet${index + 1}.xml` })),
    { type: `${REL}/styles`, target: 'styles.xml' },
  ]);
  // Style 1 is bold, for the header row; Excel wants the two default fills and one border listed.
  const styles =
    `${XML_HEAD}<styleSheet xmlns="${S}">` +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';
  return pack(
    meta,
    'xl/workbook.xml',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    [
      ...sheetParts.map((part) => ({ part: part.name, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml' })),
      { part: 'xl/styles.xml', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml' },
    ],
    [
      { name: 'xl/workbook.xml', data: Buffer.from(workbook) },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(workbookRels) },
      { name: 'xl/styles.xml', data: Buffer.from(styles) },
      ...sheetParts,
    ],
  );
}

function sheetRow(row: readonly Cell[], r: number): string {
  const style = r === 0 ? ' s="1"' : '';
  const cells = row.map((cell, c) => {
    const ref = `${columnName(c)}${r + 1}`;
    if (typeof cell === 'number') return `<c r="${ref}"${style}><v>${cell}</v></c>`;
    // Inline strings spare us a shared-strings part; the cached value of a formula shows before recalculation.
    if (typeof cell === 'string') return `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${xml(cell)}</t></is></c>`;
    return `<c r="${ref}"${style}><f>${xml(cell.formula)}</f><v>${cell.value}</v></c>`;
  });
  return `<row r="${r + 1}">${cells.join('')}</row>`;
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export function pptx(meta: DocumentMeta, slides: readonly Slide[]): Buffer {
  const NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
    `xmlns:r="${REL}" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`;
  const emptyTree = '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>';
  const PML = 'application/vnd.openxmlformats-officedocument.presentationml';

  const presentation =
    `${XML_HEAD}<p:presentation ${NS}>` +
    '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>' +
    `<p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 3}"/>`).join('')}</p:sldIdLst>` +
    '<p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>';
  const presentationRels = relationships([
    { type: `${REL}/slideMaster`, target: 'slideMasters/slideMaster1.xml' },
    { type: `${REL}/theme`, target: 'theme/theme1.xml' },
    ...slides.map((_, i) => ({ type: `${REL}/slide`, target: `slides/slide${i + 1}.xml` })),
  ]);
  const master =
    `${XML_HEAD}<p:sldMaster ${NS}><p:cSld><p:spTree>${emptyTree}</p:spTree></p:cSld>` +
    '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" ' +
    'accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>' +
    '<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>';
  const layout =
    `${XML_HEAD}<p:sldLayout ${NS} preserve="1"><p:cSld name="Blank"><p:spTree>${emptyTree}</p:spTree></p:cSld>` +
    '<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>';
  const slideParts = slides.map((slide, i) => ({
    name: `ppt/slides/slide${i + 1}.xml`,
    data: Buffer.from(
      `${XML_HEAD}<p:sld ${NS}><p:cSld><p:spTree>${emptyTree}` +
        shape(2, 'Band', [0, 0, 12192000, 1100000], '2A6B4F', []) +
        shape(3, 'Title', [609600, 180000, 10972800, 800000], undefined, [{ text: slide.title, size: 3600, bold: true, color: 'FFFFFF' }]) +
        shape(4, 'Body', [609600, 1500000, 10972800, 4800000], undefined, slide.bullets.map((text) => ({ text: `• ${text}`, size: 2400 }))) +
        '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>',
    ),
  }));
  const slideRels = relationships([{ type: `${REL}/slideLayout`, target: '../slideLayouts/slideLayout1.xml' }]);

  return pack(
    meta,
    'ppt/presentation.xml',
    `${PML}.presentation.main+xml`,
    [
      { part: 'ppt/slideMasters/slideMaster1.xml', type: `${PML}.slideMaster+xml` },
      { part: 'ppt/slideLayouts/slideLayout1.xml', type: `${PML}.slideLayout+xml` },
      { part: 'ppt/theme/theme1.xml', type: 'application/vnd.openxmlformats-officedocument.theme+xml' },
      ...slideParts.map((part) => ({ part: part.name, type: `${PML}.slide+xml` })),
    ],
    [
      { name: 'ppt/presentation.xml', data: Buffer.from(presentation) },
      { name: 'ppt/_rels/presentation.xml.rels', data: Buffer.from(presentationRels) },
      { name: 'ppt/slideMasters/slideMaster1.xml', data: Buffer.from(master) },
      {
        name: 'ppt/slideMasters/_rels/slideMaster1.xml.rels',
        data: Buffer.from(relationships([
          { type: `${REL}/slideLayout`, target: '../slideLayouts/slideLayout1.xml' },
          { type: `${REL}/theme`, target: '../theme/theme1.xml' },
        ])),
      },
      { name: 'ppt/slideLayouts/slideLayout1.xml', data: Buffer.from(layout) },
      {
        name: 'ppt/slideLayouts/_rels/slideLayout1.xml.rels',
        data: Buffer.from(relationships([{ type: `${REL}/slideMaster`, target: '../slideMasters/slideMaster1.xml' }])),
      },
      { name: 'ppt/theme/theme1.xml', data: Buffer.from(theme()) },
      ...slideParts.flatMap((part, i) => [part, { name: `ppt/slides/_rels/slide${i + 1}.xml.rels`, data: Buffer.from(slideRels) }]),
    ],
  );
}

interface Run {
  text: string;
  size: number;
  bold?: boolean;
  color?: string;
}

/** A rectangle (optionally filled) holding one paragraph per run. Box is [x, y, width, height] in EMU. */
function shape(id: number, name: string, [x, y, cx, cy]: [number, number, number, number], fill: string | undefined, runs: readonly Run[]): string {
  const paragraphs = runs.length === 0 ? '<a:p><a:endParaRPr lang="en-US"/></a:p>' : runs.map((run) =>
    `<a:p><a:r><a:rPr lang="en-US" sz="${run.size}"${run.bold ? ' b="1"' : ''} dirty="0">` +
      (run.color ? `<a:solidFill><a:srgbClr val="${run.color}"/></a:solidFill>` : '') +
      `</a:rPr><a:t>${xml(run.text)}</a:t></a:r></a:p>`).join('');
  return `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${name}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>` +
    `<p:spPr><a:xfrm><a:off x="${x}" y="${y}"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>` +
    (fill ? `<a:solidFill><a:srgbClr val="${fill}"/></a:solidFill>` : '<a:noFill/>') +
    `</p:spPr><p:txBody><a:bodyPr wrap="square"/><a:lstStyle/>${paragraphs}</p:txBody></p:sp>`;
}

/** The smallest theme the schema allows: 12 colours, two fonts, three of each format style. */
function theme(): string {
  const colours = [['dk1', '000000'], ['lt1', 'FFFFFF'], ['dk2', '1F3B2F'], ['lt2', 'E7EFEA'], ['accent1', '2A6B4F'],
    ['accent2', 'E0A030'], ['accent3', '4F81BD'], ['accent4', 'C0504D'], ['accent5', '8064A2'], ['accent6', '4BACC6'],
    ['hlink', '0563C1'], ['folHlink', '954F72']].map(([name, rgb]) => `<a:${name}><a:srgbClr val="${rgb}"/></a:${name}>`).join('');
  const font = (face: string): string => `<a:latin typeface="${face}"/><a:ea typeface=""/><a:cs typeface=""/>`;
  const fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>';
  const three = (item: string): string => item + item + item;
  return `${XML_HEAD}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Sandbox">` +
    `<a:themeElements><a:clrScheme name="Sandbox">${colours}</a:clrScheme>` +
    `<a:fontScheme name="Sandbox"><a:majorFont>${font('Calibri Light')}</a:majorFont><a:minorFont>${font('Calibri')}</a:minorFont></a:fontScheme>` +
    `<a:fmtScheme name="Sandbox"><a:fillStyleLst>${three(fill)}</a:fillStyleLst>` +
    `<a:lnStyleLst>${three(`<a:ln w="6350">${fill}</a:ln>`)}</a:lnStyleLst>` +
    `<a:effectStyleLst>${three('<a:effectStyle><a:effectLst/></a:effectStyle>')}</a:effectStyleLst>` +
    `<a:bgFillStyleLst>${three(fill)}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>` +
    '<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>';
}

/** Wraps the main part and its extra parts with the package-level parts every OOXML file has. */
function pack(meta: DocumentMeta, mainPart: string, mainType: string, overrides: { part: string; type: string }[], parts: ZipEntry[]): Buffer {
  const types =
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    [{ part: mainPart, type: mainType }, ...overrides, { part: 'docProps/core.xml', type: 'application/vnd.openxmlformats-package.core-properties+xml' }]
      .map(({ part, type }) => `<Override PartName="/${part}" ContentType="${type}"/>`).join('') +
    '</Types>';
  const rootRels = relationships([
    { type: `${REL}/officeDocument`, target: mainPart },
    { type: `${PKG_REL}/metadata/core-properties`, target: 'docProps/core.xml' },
  ]);
  const core =
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(meta.title)}</dc:title><dc:creator>${xml(meta.creator ?? 'fs-picker sandbox')}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${CREATED}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${CREATED}</dcterms:modified></cp:coreProperties>`;
  // [Content_Types].xml first, as Office itself writes it (some readers sniff the first entry).
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from(types) },
    { name: '_rels/.rels', data: Buffer.from(rootRels) },
    { name: 'docProps/core.xml', data: Buffer.from(core) },
    ...parts,
  ]);
}

function relationships(targets: readonly { type: string; target: string }[]): string {
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL}">` +
    targets.map(({ type, target }, i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`).join('') +
    '</Relationships>';
}

function xml(text: string): string {
  return text.replace(/[<>&"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[char]!);
}
