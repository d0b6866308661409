import sharp from 'sharp';
import type { RepoNode } from '../repository/node.ts';
import type { Repository } from '../repository/repository.ts';

/** The rendition definitions of a stock repository that a picker uses. */
export const RENDITIONS = {
  doclib: { mimeType: 'image/png', mimeTypeName: 'PNG Image', size: 100, format: 'png' },
  avatar: { mimeType: 'image/png', mimeTypeName: 'PNG Image', size: 64, format: 'png' },
  avatar32: { mimeType: 'image/png', mimeTypeName: 'PNG Image', size: 32, format: 'png' },
  imgpreview: { mimeType: 'image/jpeg', mimeTypeName: 'JPEG Image', size: 960, format: 'jpeg' },
} as const;

export type RenditionId = keyof typeof RENDITIONS;

// What sharp can read; other types (PDF, office) have no thumbnail in the sandbox, only a placeholder.
const RENDERABLE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/svg+xml', 'image/tiff', 'image/avif']);

export function isRenditionId(id: string): id is RenditionId {
  return Object.hasOwn(RENDITIONS, id);
}

/**
 * Which renditions exist, and their bytes: real thumbnails of images made with sharp when first asked
 * for, then kept until the content changes.
 */
export class Renditions {
  readonly #created = new Map<string, Set<RenditionId>>();
  readonly #bytes = new Map<string, Promise<Buffer>>();

  constructor(private readonly repository: Repository) {}

  canRender(node: RepoNode): boolean {
    return node.content !== undefined && RENDERABLE.has(node.content.mimeType);
  }

  isCreated(node: RepoNode, id: RenditionId): boolean {
    return this.#created.get(node.id)?.has(id) ?? false;
  }

  /** Asks for a rendition (202 in the API); false when the node's type cannot be rendered. */
  request(node: RepoNode, id: string): boolean {
    if (!isRenditionId(id) || !this.canRender(node)) return false;
    const created = this.#created.get(node.id) ?? new Set<RenditionId>();
    created.add(id);
    this.#created.set(node.id, created);
    return true;
  }

  async bytes(node: RepoNode, id: RenditionId): Promise<Buffer> {
    const content = node.content!;
    const key = `${node.id}:${id}:${content.contentId}`;
    let bytes = this.#bytes.get(key);
    if (!bytes) {
      bytes = this.#render(content.contentId, id);
      this.#bytes.set(key, bytes);
      bytes.catch(() => this.#bytes.delete(key));
    }
    return bytes;
  }

  async #render(contentId: string, id: RenditionId): Promise<Buffer> {
    const { size, format } = RENDITIONS[id];
    const source = await this.repository.content.read(contentId);
    // Streams the original through sharp: a 6000×4000 JPEG is never buffered whole as pixels twice.
    const resize = sharp({ limitInputPixels: 30_000 * 30_000 }).rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true });
    const output = format === 'png' ? resize.png() : resize.jpeg({ quality: 80 });
    source.on('error', (error) => output.destroy(error)).pipe(output);
    return output.toBuffer();
  }
}
