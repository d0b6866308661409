/** `fs-picker/server`: build, configure and run the companion in your own Node process. */
export { buildApp, type AppDependencies } from './app.ts';
export { loadConfig, parseConfig, embeddedDefaults, ConfigError, DEV_API_KEY, type CompanionConfig, type CompanionConfigInput, type AppConfig } from './config.ts';
export { listen, type Listening } from './listen.ts';
