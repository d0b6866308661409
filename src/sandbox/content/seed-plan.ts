import type { SampleFile, SeedPlan } from './index.ts';
import { wav } from './audio.ts';
import { image } from './images.ts';
import { docx, pptx, xlsx, type Cell } from './ooxml.ts';
import { pdf } from './pdf.ts';
import { file, sampleFile, syntheticFile } from './sample-file.ts';
import { csv, json, markdown, plainText } from './text.ts';
import { clip } from './video.ts';
import { zip } from './zip.ts';

/** Where the seed's special cases are, relative to admin's My Files, for tests and benchmarks. */
export const SEED_PATHS = {
  /** The folder with MANY_FILES files. */
  manyFiles: 'Many Files',
  /** 10 folders deep: 'Deep/Level 1/…/Level 10', holding 'bottom.txt'. */
  deep: ['Deep', ...Array.from({ length: 10 }, (_, i) => `Level ${i + 1}`)].join('/'),
  /** The folder holding BIG_FILE_NAME (BIG_FILE_SIZE bytes of the synthetic pattern). */
  large: 'Large Files',
} as const;
export const MANY_FILES = 10_000;
export const BIG_FILE_NAME = 'large-256MiB.bin';
export const BIG_FILE_SIZE = 256 * 1024 * 1024;

const ATTENDEES = ['Mike Jackson', 'Benjamin Scobell', 'Betty Silver', 'Jimmy Pitt', 'Angela Travers'];
const CONTRACT = 'Contract for Redesign of Corporate Web Site, prepared by Alice Beecher, Moresby, Garland and Wedge, 1st February 2011';

/**
 * The seed. Every folder is a key, parents before children, even when it holds no file, so the
 * tree can be created in key order. Building the plan generates nothing: bytes come from `bytes()`
 * (or `stream()` for the big file) when the seed asks.
 */
export function seedPlan(): SeedPlan {
  return { siteLibrary: siteLibrary(), userHome, shared: shared() };
}

/** The document library of the sample site "swsdp" (Sample: Web Site Design Project), names as Alfresco ships them. */
function siteLibrary(): Record<string, SampleFile[]> {
  const photo = (name: string, width: number, height: number, scene: 'landscape' | 'chart' = 'landscape'): SampleFile =>
    file(name, () => image({ width, height, format: name.toLowerCase().endsWith('png') ? 'png' : 'jpeg', scene, label: name }));
  const png = (name: string, width: number, height: number, scene: 'logo' | 'mockup' | 'document'): SampleFile =>
    file(name, () => image({ width, height, format: 'png', scene, label: name }));
  return {
    '': [],
    'Agency Files': [],
    'Agency Files/Contracts': [
      file('Project Contract.pdf', () => contract(), { title: 'Project Contract for Green Energy', description: CONTRACT }),
    ],
    'Agency Files/Images': [
      photo('coins.JPG', 1600, 1200, 'chart'),
      photo('graph.JPG', 1024, 768, 'chart'),
      photo('grass.jpg', 2048, 1536),
      png('header.png', 1200, 300, 'mockup'),
      png('low consumption bulb.png', 600, 600, 'logo'),
      photo('money.JPG', 1600, 1067, 'chart'),
      photo('plugs.jpg', 1280, 960),
      photo('turbine.JPG', 3000, 2000),
      photo('windmill.png', 800, 600),
      photo('wind turbine.JPG', 2400, 1600),
      photo('wires.JPG', 1280, 853),
    ],
    'Agency Files/Logo Files': [png('GE Logo.png', 512, 512, 'logo'), png('logo.png', 256, 256, 'logo')],
    'Agency Files/Mock-Ups': [1, 2, 3].map((n) => png(`sample ${n}.png`, 1280, 800, 'mockup')),
    'Agency Files/Video Files': [
      file('WebSiteReview.mp4', () => clip({ title: 'Web Site Review', width: 320, height: 240, seconds: 4, framesPerSecond: 10 }), {
        title: 'Web Site Review',
      }),
    ],
    // Legacy Office names keep Alfresco's legacy mimetypes; the bytes are the OOXML equivalent, which
    // Office and LibreOffice open by content (we do not write the binary 97-2003 formats).
    'Budget Files': [file('budget.xls', () => budget(), { title: 'Budget', description: 'Web site redesign budget, 2011' })],
    'Budget Files/Invoices': ['inv I200-109.png', 'inv I200-189.png'].map((name) => png(name, 850, 1100, 'document')),
    'Meeting Notes': ['2011-01-27', '2011-02-03', '2011-02-10'].map((date, i) =>
      file(`Meeting Notes ${date}.doc`, () => meetingNotes(date, i), { title: `Meeting Notes ${date}` })),
    Presentations: [
      file('Project Objectives.ppt', () => presentation('Project Objectives', [
        { title: 'Project Objectives', bullets: ['Redesign the corporate web site', 'Green energy message first', 'Launch in Q2 2011'] },
        { title: 'Success measures', bullets: ['Twice the visitors by year end', 'Half the bounce rate', 'Content editable by staff'] },
      ]), { title: 'Project Objectives' }),
      file('Project Overview.ppt', () => presentation('Project Overview', [
        { title: 'Project Overview', bullets: ['Client: Green Energy', 'Agency: Moresby, Garland and Wedge', 'Start: February 2011'] },
        { title: 'Team', bullets: ATTENDEES },
        { title: 'Timeline', bullets: ['Mock-ups: February', 'Build: March and April', 'Review and launch: May'] },
      ]), { title: 'Project Overview' }),
    ],
  };
}

/** My Files of a user: admin's holds the special cases (every type, big, deep, many); others a couple of files. */
function userHome(userId: string): Record<string, SampleFile[]> {
  switch (userId) {
    case 'admin':
      return adminHome();
    case 'mjackson':
      return {
        '': [sampleFile('Site visit notes.txt', { text: 'Site visit notes\n\nWind farm visit with Alice on 8 February 2011. Photos are in the site library.' })],
        Drafts: [sampleFile('Budget draft.xlsx', { title: 'Budget draft' })],
      };
    case 'abeecher':
      return {
        '': [sampleFile('Contract draft.docx', { title: 'Contract draft', text: `Contract draft\n\n${CONTRACT}.` })],
        Ideas: [sampleFile('Moodboard.png', { width: 1200, height: 800, scene: 'mockup' })],
      };
    default:
      return { '': [sampleFile('welcome.txt', { text: `Welcome, ${userId}\n\nThese are your files.` })] };
  }
}

function adminHome(): Record<string, SampleFile[]> {
  const deepFolders = SEED_PATHS.deep.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  return {
    '': [
      sampleFile('welcome.txt', { text: 'Welcome to the fs-picker sandbox\n\nEvery file here is generated by the sandbox itself.' }),
      sampleFile('Café menu.txt', { text: 'Café menu\n\nCrème brûlée · 4,50 €\nCafé au lait · 2,80 €\nPiña colada · 6,00 €' }),
      sampleFile('Привет мир.txt', { text: 'Привет, мир!\n\nЭто пример файла с кириллицей в имени и в тексте.' }),
      sampleFile('日本語のメモ.md', { text: '日本語のメモ\n\nこれはサンドボックスのサンプルファイルです。' }),
    ],
    Pictures: [
      // Every raster format, from small to 6000×4000 (24 megapixels: the largest a picker test needs).
      file('panorama 6000x4000.jpg', () => image({ width: 6000, height: 4000, format: 'jpeg', scene: 'landscape', label: 'panorama 6000x4000.jpg' })),
      file('poster 2400x1600.webp', () => image({ width: 2400, height: 1600, format: 'webp', scene: 'landscape', label: 'poster 2400x1600.webp' })),
      file('banner 1920x480.png', () => image({ width: 1920, height: 480, format: 'png', scene: 'mockup', label: 'banner 1920x480.png' })),
      file('chart 640x480.gif', () => image({ width: 640, height: 480, format: 'gif', scene: 'chart', label: 'chart 640x480.gif' })),
      file('icon 64x64.png', () => image({ width: 64, height: 64, format: 'png', scene: 'logo', label: 'icon' })),
      file('thumbnail 160x120.jpg', () => image({ width: 160, height: 120, format: 'jpeg', scene: 'landscape', label: 'thumb' })),
      file('vector logo.svg', () => image({ width: 512, height: 512, format: 'svg', scene: 'logo', label: 'vector logo.svg' })),
      file('diagram.svg', () => image({ width: 800, height: 600, format: 'svg', scene: 'chart', label: 'diagram.svg' })),
    ],
    Documents: [
      sampleFile('Project brief.pdf', { title: 'Project brief', text: `Project brief\n\n${CONTRACT}.\n\nThe new site tells the green energy story first.` }),
      sampleFile('Quarterly report.docx', { title: 'Quarterly report', text: 'Quarterly report\n\nVisitors grew in every month of the quarter.\n\nNext quarter: launch the redesigned site.' }),
      sampleFile('Sales figures.xlsx', { title: 'Sales figures' }),
      sampleFile('Roadmap.pptx', { title: 'Roadmap', text: 'Roadmap\n\nQ1: design\n\nQ2: build\n\nQ3: launch' }),
    ],
    Data: [
      sampleFile('visitors.csv'),
      file('settings.json', () => json({ theme: 'green', language: 'en', pageSize: 25, sources: ['Alfresco', 'Computer'] })),
      file('README.md', () => markdown('Data', [{ heading: 'Files', lines: ['- visitors.csv: monthly visitors', '- settings.json: picker settings'] }])),
      file('notes.html', () => Buffer.from('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Notes</title></head><body><h1>Notes</h1><p>Plain HTML.</p></body></html>\n')),
    ],
    Media: [
      file('chime.wav', () => wav({ seconds: 2, notes: [523.25, 659.25, 783.99, 1046.5] }), { title: 'Chime' }),
      file('intro.mp4', () => clip({ title: 'fs-picker', width: 320, height: 176, seconds: 2, framesPerSecond: 10 }), { title: 'Intro' }),
    ],
    Archives: [
      file('sample archive.zip', async () => zip([
        { name: 'README.txt', data: plainText('Sample archive') },
        { name: 'data/visitors.csv', data: csv([['Month', 'Visitors'], ['Jan 2011', 1200], ['Feb 2011', 1350]]) },
        { name: 'images/logo.png', data: await image({ width: 128, height: 128, format: 'png', scene: 'logo', label: 'logo' }) },
        { name: 'Café/Привет.txt', data: plainText('Привет') },
      ])),
    ],
    ...Object.fromEntries(deepFolders.map((folder, i) => [folder, i === deepFolders.length - 1
      ? [sampleFile('bottom.txt', { text: 'The bottom\n\nYou are 10 folders deep.' })]
      : []])),
    [SEED_PATHS.manyFiles]: manyFiles(),
    [SEED_PATHS.large]: [syntheticFile(BIG_FILE_NAME, BIG_FILE_SIZE, { title: '256 MiB of synthetic data', description: 'For streaming and Range tests' })],
  };
}

/** MANY_FILES cheap files: tiny text, CSV and JSON, each made only when asked. */
function manyFiles(): SampleFile[] {
  const kinds = [['txt', 'text/plain', 'Plain Text'], ['csv', 'text/csv', 'Comma Separated Values (CSV)'], ['json', 'application/json', 'JSON']] as const;
  const files: SampleFile[] = new Array<SampleFile>(MANY_FILES);
  for (let i = 0; i < MANY_FILES; i++) {
    const number = String(i + 1).padStart(5, '0');
    const [extension, mimeType, mimeTypeName] = kinds[i % 3]!;
    // Built by hand rather than through sampleFile(): 10,000 objects in a few milliseconds.
    files[i] = {
      name: `item ${number}.${extension}`,
      mimeType,
      mimeTypeName,
      bytes: async () => Buffer.from(extension === 'txt' ? `Item ${number} of ${MANY_FILES}\n`
        : extension === 'csv' ? `item,value\r\n${number},${(i * 7) % 101}\r\n` : `{ "item": ${i + 1}, "of": ${MANY_FILES} }\n`),
    };
  }
  return files;
}

function shared(): Record<string, SampleFile[]> {
  return {
    '': [
      sampleFile('Company handbook.pdf', { title: 'Company handbook', text: 'Company handbook\n\nWelcome aboard. This handbook is shared with everyone.' }),
      sampleFile('Office locations.csv'),
    ],
  };
}

function contract(): Buffer {
  const section = (heading: string, ...lines: string[]) => [{ text: heading, size: 13, bold: true }, ...lines.map((text) => ({ text })), { text: '' }];
  return pdf({
    title: 'Project Contract for Green Energy',
    author: 'Alice Beecher',
    subject: CONTRACT,
    pages: [
      [
        { text: 'Contract for Redesign of Corporate Web Site', size: 20, bold: true },
        { text: 'Prepared by Alice Beecher, Moresby, Garland and Wedge', size: 12 },
        { text: '1st February 2011', size: 12 },
        { text: '' },
        ...section('1. Parties', 'This contract is between Green Energy ("the Client") and Moresby, Garland and Wedge ("the Agency").'),
        ...section('2. Scope', 'The Agency will redesign the Client\'s corporate web site: information architecture, visual design, ' +
          'templates for the content management system, and the migration of existing content.'),
        ...section('3. Deliverables', 'Mock-ups of the home page and three inner pages; a style guide; working templates; ' +
          'a review of the finished site with the Client\'s team.'),
      ],
      [
        ...section('4. Timeline', 'Mock-ups by 28 February 2011; build in March and April 2011; launch in May 2011.'),
        ...section('5. Fees', 'Fees are set out in the budget (Budget Files/budget.xls) and invoiced monthly.'),
        ...section('6. Signatures', 'For the Client: ______________________', 'For the Agency: Alice Beecher ______________________'),
      ],
    ],
  });
}

function budget(): Buffer {
  const items: [string, number, number, number, number][] = [
    ['Design', 12000, 4000, 0, 0],
    ['Development', 0, 18000, 15000, 0],
    ['Content migration', 0, 2500, 6000, 1500],
    ['Hosting', 600, 600, 600, 600],
    ['Review and testing', 0, 0, 4000, 2500],
  ];
  const rows: Cell[][] = [['Item', 'Q1', 'Q2', 'Q3', 'Q4', 'Total'],
    ...items.map(([name, ...quarters], i) => [name, ...quarters, { formula: `SUM(B${i + 2}:E${i + 2})`, value: quarters.reduce((a, b) => a + b, 0) }])];
  const last = items.length + 1;
  rows.push(['Total', ...['B', 'C', 'D', 'E', 'F'].map((column, c) => ({
    formula: `SUM(${column}2:${column}${last})`,
    value: items.reduce((sum, item) => sum + (c < 4 ? item[c + 1] as number : (item.slice(1) as number[]).reduce((a, b) => a + b, 0)), 0),
  }))]);
  return xlsx({ title: 'Budget', creator: 'Mike Jackson' }, [{ name: 'Budget 2011', rows }]);
}

function meetingNotes(date: string, index: number): Buffer {
  const topics = [
    ['Kick-off: goals and scope of the redesign', 'Agree the project team and weekly meetings'],
    ['Review of the first mock-ups (Agency Files/Mock-Ups)', 'Choice of images for the home page'],
    ['Budget check against budget.xls', 'Plan for the web site review video'],
  ][index]!;
  return docx({ title: `Meeting Notes ${date}`, creator: 'Mike Jackson' }, [
    { text: `Meeting Notes ${date}`, heading: 1 },
    { text: 'Web Site Design Project' },
    { text: 'Attendees', heading: 2 },
    ...ATTENDEES.map((text) => ({ text })),
    { text: 'Topics', heading: 2 },
    ...topics.map((text) => ({ text })),
    { text: 'Actions', heading: 2 },
    { text: 'Mike Jackson to circulate these notes; next meeting in one week.' },
  ]);
}

function presentation(title: string, slides: { title: string; bullets: string[] }[]): Buffer {
  return pptx({ title, creator: 'Mike Jackson' }, slides);
}
