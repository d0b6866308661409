// The developer portal's elements, for Storybook only: `npm run analyze` writes this manifest to
// .storybook/portal-manifest/custom-elements.json (generated, gitignored), and .storybook/preview.ts adds it
// to the package's, so the portal stories get their controls too. The portal is the companion's own page,
// not part of the picker's API, so the package's custom-elements.json leaves it out.
import { fsPickerConventions } from './custom-elements-manifest.config.mjs';

export default {
  globs: ['companion/portal/fs-portal*.ts', 'companion/portal/panel.ts'],
  outdir: '.storybook/portal-manifest',
  litelement: true,
  packagejson: false,
  plugins: [fsPickerConventions('companion/portal/index.ts')],
};
