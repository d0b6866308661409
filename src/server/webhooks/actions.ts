/** The webhook actions, as filepicker v2 named them. Kept apart so the configuration can import them cheaply. */
export const WEBHOOK_ACTIONS = ['fp.dialog', 'fp.upload', 'fp.export', 'fp.converse', 'fp.delete'] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];
