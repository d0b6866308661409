import sharp from 'sharp';

/** Placeholder families by mimetype, each with a label and a colour, like Share's file-type icons. */
const FAMILIES: Array<{ test: RegExp; label: string; colour: string }> = [
  { test: /^image\//, label: 'IMG', colour: '#2e7d32' },
  { test: /pdf$/, label: 'PDF', colour: '#c62828' },
  { test: /(msword|wordprocessingml)/, label: 'DOC', colour: '#1565c0' },
  { test: /(ms-excel|spreadsheetml|text\/csv)/, label: 'XLS', colour: '#2e7d32' },
  { test: /(ms-powerpoint|presentationml)/, label: 'PPT', colour: '#d84315' },
  { test: /^video\//, label: 'VID', colour: '#6a1b9a' },
  { test: /^audio\//, label: 'AUD', colour: '#00838f' },
  { test: /(zip|compressed|x-tar|gzip)/, label: 'ZIP', colour: '#5d4037' },
  { test: /^text\/|json|xml|markdown/, label: 'TXT', colour: '#455a64' },
];
const FALLBACK = { label: 'FILE', colour: '#607d8b' };

const cache = new Map<string, Promise<Buffer>>();

/** A 100×100 PNG document icon for the type, drawn once per family. */
export function placeholderFor(mimeType: string): Promise<Buffer> {
  const { label, colour } = FAMILIES.find((family) => family.test.test(mimeType)) ?? FALLBACK;
  let icon = cache.get(label);
  if (!icon) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">
      <path d="M22 6h40l20 20v68H22z" fill="#fff" stroke="#90a4ae" stroke-width="3"/>
      <path d="M62 6v20h20" fill="#eceff1" stroke="#90a4ae" stroke-width="3"/>
      <rect x="14" y="52" width="60" height="26" rx="3" fill="${colour}"/>
      <text x="44" y="71" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="17" font-weight="700" fill="#fff" text-anchor="middle">${label}</text>
    </svg>`;
    icon = sharp(Buffer.from(svg)).png().toBuffer();
    cache.set(label, icon);
  }
  return icon;
}
