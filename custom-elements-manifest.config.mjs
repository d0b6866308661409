// Custom Elements Manifest for the fs-picker elements: `npm run analyze` writes custom-elements.json at the
// repository root (generated, gitignored). Storybook's preview reads it for its controls and argTypes.
//
// What the analyzer (0.11.0, `litelement: true`) already gets right on its own: `static properties` with
// `declare` fields (name, type, JSDoc description, the `attribute` option, `attribute: false`, defaults from
// the constructor), `@fires`, `@csspart`, `@cssproperty` and `@summary`. The plugin below fixes what it
// cannot see in our layout:
//   1. tag names: elements are registered in one place (src/define.ts, in a loop; the developer portal's in
//      companion/portal/index.ts), so the analyzer never
//      sees `customElements.define('fs-x', FsX)` and writes no `tagName`. Storybook finds a component's
//      entry by `tagName`, so without it the controls stay empty. We read the tag from the
//      `HTMLElementTagNameMap` augmentation every element file has, and describe src/define.ts as the
//      module that defines them.
//   2. events: `this.dispatchEvent(new FsOpenEvent())` adds an event with a type and no name next to the
//      named one from `@fires fs-open`. The nameless entry is merged into the named one, and every
//      `@fires fs-x` whose class `FsXEvent` exists in src/events/fs-x.ts gets that type.
//   3. private members (`#store`, `#dialog`…) are implementation, not API: they are dropped.
import { existsSync } from 'node:fs';

/** `fs-service-change` → `FsServiceChangeEvent`. */
const eventClassName = (name) => `${name.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase())}Event`;

/** Reads `interface HTMLElementTagNameMap { 'fs-x': FsX }` (inside `declare global { … }`): class name → tag. */
function tagNamesOf(ts, node) {
  const tags = new Map();
  for (const member of node.members) {
    if (ts.isPropertySignature(member) && ts.isStringLiteral(member.name) && member.type && ts.isTypeReferenceNode(member.type)) {
      tags.set(member.type.typeName.getText(), member.name.text);
    }
  }
  return tags;
}

/** The plugin, for elements that `defineModule` registers. */
export function fsPickerConventions(defineModule) {
  const tagsByModule = new Map(); // module path → (class name → tag)
  return {
    name: 'fs-picker-conventions',
    analyzePhase({ ts, node, moduleDoc }) {
      if (ts.isInterfaceDeclaration(node) && node.name.text === 'HTMLElementTagNameMap') {
        tagsByModule.set(moduleDoc.path, tagNamesOf(ts, node));
      }
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        if (declaration.kind !== 'class') continue;
        const tagName = tagsByModule.get(moduleDoc.path)?.get(declaration.name);
        if (tagName) {
          declaration.tagName = tagName;
          declaration.customElement = true;
        }
        if (declaration.members) {
          declaration.members = declaration.members.filter((m) => m.privacy !== 'private' && !m.name.startsWith('#'));
        }
        if (declaration.events) {
          const named = declaration.events.filter((e) => e.name);
          for (const unnamed of declaration.events.filter((e) => !e.name)) {
            const match = named.find((e) => eventClassName(e.name) === unnamed.type?.text);
            if (match) match.type ??= unnamed.type;
          }
          for (const event of named) {
            if (!event.type && existsSync(`src/events/${event.name}.ts`)) event.type = { text: eventClassName(event.name) };
          }
          declaration.events = named;
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      // Importing an element's module registers nothing; `defineModule` is the one module that does.
      const definitions = customElementsManifest.modules.flatMap((module) =>
        (module.declarations ?? [])
          .filter((d) => d.tagName)
          .map((d) => ({ kind: 'custom-element-definition', name: d.tagName, declaration: { name: d.name, module: module.path } })),
      );
      if (definitions.length > 0) {
        customElementsManifest.modules.push({ kind: 'javascript-module', path: defineModule, declarations: [], exports: definitions });
      }
    },
  };
}

export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/components/**/*.styles.ts', 'src/components/**/*-icons.ts', 'src/components/**/icons/**'],
  outdir: '.',
  litelement: true,
  // package.json already names custom-elements.json; never let the analyzer rewrite it.
  packagejson: false,
  plugins: [fsPickerConventions('src/define.ts')],
};
