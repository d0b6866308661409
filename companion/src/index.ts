/** `fs-picker-companion`: build, configure and run the companion in your own Node process. */
export { buildApp, type AppDependencies, type CompanionApp } from './app.ts';
export { loadConfig, parseConfig, embeddedDefaults, ConfigError, DEV_API_KEY, type CompanionConfig, type CompanionConfigInput, type AppConfig, type WebhookConfig } from './config.ts';
export { listen, type Listening } from './listen.ts';
// One way out for a companion and its webhooks (pass the same one to both, close it on shutdown).
export { Outbound, DEFAULT_TIMEOUTS, type OutboundOptions, type OutboundTimeouts } from './outbound/index.ts';
// For a process that is the companion's own: spent chunks freed as files stream (what main.ts does).
export { exposeCollector } from './spent-chunks.ts';
export { verifyWebhook, signWebhook, TIMESTAMP_HEADER, SIGNATURE_HEADER, type VerifyWebhookOptions, type WebhookHeaders } from './webhooks/signature.ts';
export { signStandardWebhook, STANDARD_ID_HEADER, STANDARD_TIMESTAMP_HEADER, STANDARD_SIGNATURE_HEADER } from './webhooks/standard-signature.ts';
export { WEBHOOK_ACTIONS, type WebhookAction, type WebhookEvent, type UploadText, type ExportText, type ConverseText, type ConverseProvider, type DeleteText, type DialogText } from './webhooks/events.ts';
export { Webhooks, RETRY_SCHEDULE_MS, type WebhooksOptions, type DeliveryLogEntry, type DeliveryStatus } from './webhooks/webhooks.ts';
