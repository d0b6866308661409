/** The webhook actions, as filepicker v2 named them; shared by the companion and the portal page. */
export const WEBHOOK_ACTIONS = ['fp.dialog', 'fp.upload', 'fp.export', 'fp.converse', 'fp.delete'] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];
