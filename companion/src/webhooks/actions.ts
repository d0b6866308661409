/** The webhook actions live in the protocol (the portal page shows them too); kept here for the server's imports. */
export { WEBHOOK_ACTIONS, type WebhookAction } from 'fs-picker/protocol';
