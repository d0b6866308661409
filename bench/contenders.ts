/**
 * The pickers compared in bench/size.ts and bench/open.ts, each as the smallest page entry that can open
 * it: the package's documented set-up plus a tiny harness, `window.__bench = { open(), state() }`, where
 * `state()` says whether the picker's dialog is visible (1) and also holds the keyboard focus (2). The entries are
 * written into a temporary folder outside the repository, whose `node_modules` links to the
 * repository's, so the packages resolve exactly as installed.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './size-measure.ts';

export interface Contender {
  id: 'fs-picker' | 'uppy' | 'uploadcare' | 'filestack';
  label: string;
  /** The entry module's source. */
  source: string;
  /** Why open() cannot be timed, when it cannot. */
  notMeasurable?: string;
}

/** Deep active element, through open shadow roots. */
const HARNESS = `
const deepActive = () => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; return a; };
const inside = (root, node) => { for (let n = node; n; n = n.parentNode || n.host) if (n === root) return true; return false; };
const shown = (el) => !!el && el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && el.getBoundingClientRect().height > 0;
/** 0: not shown; 1: shown; 2: shown and holding the keyboard focus. */
const state = (root) => (shown(root) ? (inside(root, deepActive()) ? 2 : 1) : 0);
`;

const src = (path: string): string => JSON.stringify(join(ROOT, path));

export const CONTENDERS: Contender[] = [
  {
    id: 'fs-picker',
    label: 'fs-picker (src/define.ts)',
    source: `import ${src('src/define.ts')};
${HARNESS}
const picker = document.createElement('fs-picker');
document.body.append(picker);
window.__bench = {
  open: () => { void picker.open(); },
  state: () => { const dialog = picker.shadowRoot && picker.shadowRoot.querySelector('dialog'); return state(dialog && dialog.open ? dialog : null); },
};
`,
  },
  {
    id: 'uppy',
    label: 'Uppy core + Dashboard (+ CSS)',
    source: `import Uppy from '@uppy/core';
import Dashboard from '@uppy/dashboard';
import '@uppy/core/css/style.min.css';
import '@uppy/dashboard/css/style.min.css';
${HARNESS}
const uppy = new Uppy().use(Dashboard, { inline: false });
const dashboard = uppy.getPlugin('Dashboard');
window.__bench = {
  open: () => { void dashboard.openModal(); },
  state: () => state(document.querySelector('.uppy-Dashboard--modal[aria-hidden="false"] .uppy-Dashboard-inner')),
};
`,
  },
  {
    id: 'uploadcare',
    label: 'Uploadcare regular (+ CSS)',
    source: `import * as UC from '@uploadcare/file-uploader';
import '@uploadcare/file-uploader/web/uc-file-uploader-regular.min.css';
${HARNESS}
UC.defineComponents(UC);
document.body.insertAdjacentHTML('beforeend', '<uc-config ctx-name="bench" pubkey="demopublickey"></uc-config><uc-file-uploader-regular ctx-name="bench"></uc-file-uploader-regular>');
// What a person does: the regular solution's own "Upload files" button opens its modal.
window.__bench = {
  open: () => { document.querySelector('uc-file-uploader-regular uc-simple-btn button').click(); },
  state: () => state(document.querySelector('uc-file-uploader-regular dialog[open]')),
};
`,
  },
  {
    id: 'filestack',
    label: 'filestack-js picker entry',
    notMeasurable: "filestack-js's picker() only loads the picker UI from its CDN (static.filestackapi.com) when opened; these machines cannot reach it, and a copy served locally would not be the package as shipped",
    source: `import { init } from 'filestack-js';
window.__bench = {
  open: () => { void init('bench-api-key').picker({}).open(); },
  state: () => 0,
};
`,
  },
];

/** Writes each contender's entry into a new temporary folder; `entries` maps id → entry file. */
export async function writeEntries(): Promise<{ dir: string; entries: Map<Contender['id'], string>; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-bench-contenders-'));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), '{"type":"module","private":true}');
  const entries = new Map<Contender['id'], string>();
  for (const contender of CONTENDERS) {
    const file = join(dir, `${contender.id}.js`);
    await writeFile(file, contender.source);
    entries.set(contender.id, file);
  }
  return { dir, entries, remove: () => rm(dir, { recursive: true, force: true }) };
}
