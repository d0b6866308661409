import type { PickerConfig } from '../../core/picker-state.ts';
import type { CompanionClient } from './client.ts';

/**
 * Tells the companion the picker opened (`POST /api/dialog`), so the app's webhooks get `fp.dialog`.
 * Never fails the caller: the picker works the same whether or not the event could be recorded.
 */
export async function announceDialog(client: CompanionClient, config: Pick<PickerConfig, 'mode' | 'services' | 'accept'>): Promise<void> {
  const json = {
    mode: config.mode,
    ...(config.services.length > 0 ? { services: config.services } : {}),
    ...(config.accept.length > 0 ? { accept: config.accept } : {}),
  };
  await client.send('/api/dialog', { method: 'POST', json }).catch(() => undefined);
}
