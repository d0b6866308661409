// ESLint flat config. The aim is real defects (floating promises, unsafe `any`, Lit template and
// custom-element mistakes, browser code reaching into Node/server code), not style: no formatter,
// no stylistic presets.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Browser code: everything under src/ except the Node-side folders, the stories and the portal's elements. */
const BROWSER_FILES = ['src/**/*.ts', 'stories/**/*.ts', 'companion/portal/**/*.ts'];
const NODE_SRC = ['companion/src/**', 'companion/*.ts', 'src/sandbox/**', 'src/dev/**'];

const NODE_FILES = [
  ...NODE_SRC,
  'test/{server,sandbox,protocol,boundaries,e2e,helpers,package}/**',
  'bench/**',
  // Config files (top level and .storybook/main.*), all run by Node.
  '*.config.{js,mjs,cjs,ts}',
  '.storybook/main.{js,mjs,ts}',
];
const BROWSER_GLOBAL_FILES = [
  ...BROWSER_FILES,
  'test/{components,core,api}/**',
  '.storybook/{preview,manager}*.{js,mjs,ts}',
];

/** Calls whose returned promise needs no handling (no-floating-promises). */
const KNOWN_SAFE_CALLS = [
  // node:test's test()/describe() return promises that the runner itself awaits.
  { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
  // @open-wc/semantic-dom-diff types chai's `equal` as returning Promise<Assertion> for every
  // assertion, but its `equal` is synchronous: `expect(x).to.equal(y)` is not a floating promise.
  { from: 'package', package: '@open-wc/semantic-dom-diff', name: 'Equal' },
];

/** Plain JavaScript config files: linted, but outside the TypeScript program. */
const JS_FILES = ['**/*.{js,mjs,cjs}'];

const SERVER_IMPORT_MESSAGE =
  'Browser code must not import server code: no node:* or Node builtin modules, and nothing from ' +
  'companion/src, src/sandbox or src/dev (see DESIGN.md, "Where things live"). Shared code goes in src/protocol or src/core.';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('node:'));

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    'storybook-static/',
    'coverage/',
    'custom-elements.json',
    '.fs-data/',
    // Written by lit-localize (npm run localize).
    'src/locales/generated/',
  ]),

  {
    name: 'fs-picker/linter-options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Every linted file (.ts, .js, .mjs).
  { name: 'fs-picker/js-recommended', ...js.configs.recommended },

  // TypeScript: type-aware recommended rules through the project service (tsconfig.json).
  {
    name: 'fs-picker/typescript',
    files: ['**/*.{ts,mts,cts}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: {
          // .storybook/ is not in tsconfig's include; lint it with a default program using tsconfig's options.
          allowDefaultProject: ['.storybook/*.ts'],
          defaultProject: 'tsconfig.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: KNOWN_SAFE_CALLS }],
      // An async function without `await` is often deliberate (it implements a Promise-returning
      // interface); not a defect.
      '@typescript-eslint/require-await': 'off',
    },
  },

  // Plain JS config files are not part of the TypeScript program: no type-aware rules.
  {
    name: 'fs-picker/js-untyped',
    files: JS_FILES,
    extends: [tseslint.configs.disableTypeChecked],
  },

  // Globals. For .ts files `no-undef` is off (TypeScript checks names); these matter for .js/.mjs.
  {
    name: 'fs-picker/node-globals',
    files: NODE_FILES,
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'fs-picker/browser-globals',
    files: BROWSER_GLOBAL_FILES,
    ignores: NODE_SRC,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Fixtures may be read by browser tests and Node tests alike.
    name: 'fs-picker/fixture-globals',
    files: ['test/fixtures/**'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
  },

  // Browser code: Lit and custom-element rules, and no imports from Node or the server side.
  {
    name: 'fs-picker/browser',
    files: BROWSER_FILES,
    ignores: NODE_SRC,
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended'], wc.configs['flat/best-practice']],
    settings: {
      // eslint-plugin-wc's own LitElement detection does not work from its ESM build; name it here.
      wc: { elementBaseClasses: ['LitElement'] },
    },
    rules: {
      // Lit rules that catch real defects beyond the recommended set.
      'lit/lifecycle-super': 'error', // forgetting super.connectedCallback() etc. breaks the element
      'lit/no-classfield-shadowing': 'error', // a class field over a reactive property kills reactivity
      'lit/no-invalid-escape-sequences': 'error',
      'lit/no-legacy-imports': 'error',
      'lit/no-this-assign-in-render': 'error',
      // LitElement implements every lifecycle callback and TypeScript rejects a super call to a
      // method the base class lacks, so the guard this rule asks for is dead code.
      'wc/guard-super-call': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: SERVER_IMPORT_MESSAGE })),
          patterns: [
            {
              group: ['node:*', '**/companion/src', '**/companion/src/**', '**/sandbox', '**/sandbox/**', '**/dev', '**/dev/**', 'fs-picker-companion', 'fs-picker-companion/**'],
              message: SERVER_IMPORT_MESSAGE,
            },
          ],
        },
      ],
    },
  },
);
