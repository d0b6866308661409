import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
interface LocalizeConfig {
  targetLocales: string[];
  tsConfig: string;
  inputFiles: string[];
  output: Record<string, string>;
  interchange: { format: string; xliffDir: string };
}
const config = JSON.parse(await readFile(join(root, 'lit-localize.json'), 'utf8')) as LocalizeConfig;

/** The trans-units of an XLIFF file: id → whether it has a non-empty target. */
async function units(file: string): Promise<Map<string, boolean>> {
  const xml = await readFile(file, 'utf8');
  const result = new Map<string, boolean>();
  for (const match of xml.matchAll(/<trans-unit id="([^"]+)">([\s\S]*?)<\/trans-unit>/g)) {
    result.set(match[1]!, /<target>\s*\S[\s\S]*?<\/target>/.test(match[2]!));
  }
  return result;
}

describe('translations', () => {
  test('four languages besides English, one of them right-to-left', () => {
    assert.ok(config.targetLocales.length >= 4, `only ${config.targetLocales.join(', ')}`);
    assert.ok(config.targetLocales.some((locale) => ['ar', 'he', 'fa', 'ur'].includes(locale)), 'no right-to-left language');
  });

  test('the XLIFF files hold every message the code uses (run `npm run localize` after changing strings)', async () => {
    // Extract into a scratch folder and compare its message ids with the checked-in files.
    const scratch = await mkdtemp(join(tmpdir(), 'fs-localize-'));
    try {
      const scratchConfig = join(scratch, 'lit-localize.json');
      await writeFile(
        scratchConfig,
        JSON.stringify({
          ...config,
          tsConfig: join(root, config.tsConfig),
          inputFiles: config.inputFiles.map((glob) => join(root, glob)),
          output: { ...config.output, outputDir: join(scratch, 'generated'), localeCodesModule: join(scratch, 'generated/locale-codes.ts') },
          interchange: { ...config.interchange, xliffDir: join(scratch, 'xliff') },
        }),
      );
      await promisify(execFile)(process.execPath, [join(root, 'node_modules/@lit/localize-tools/bin/lit-localize.js'), 'extract', '--config', scratchConfig], { cwd: root });
      for (const locale of config.targetLocales) {
        const used = [...(await units(join(scratch, 'xliff', `${locale}.xlf`))).keys()];
        const checkedIn = await units(join(root, config.interchange.xliffDir, `${locale}.xlf`));
        assert.deepEqual(used.filter((id) => !checkedIn.has(id)), [], `${locale}.xlf lacks messages the code uses`);
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  for (const locale of config.targetLocales) {
    test(`${locale}: every message is translated and built`, async () => {
      const all = await units(join(root, config.interchange.xliffDir, `${locale}.xlf`));
      assert.deepEqual([...all].filter(([, translated]) => !translated).map(([id]) => id), [], `${locale}.xlf has messages without a translation`);
      const built = await readFile(join(root, config.output.outputDir!, `${locale}.ts`), 'utf8');
      for (const id of all.keys()) assert.ok(built.includes(`'${id}'`), `${locale}: ${id} is not built (run npm run localize)`);
    });
  }
});
