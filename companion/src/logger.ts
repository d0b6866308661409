import { pino, type Logger } from 'pino';

/** JSON logs; secrets are redacted by path even if a caller logs an object that holds one. */
export function createLogger(level = process.env.FS_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    redact: { paths: ['*.authorization', '*.Authorization', '*.appSecret', '*.accessToken', '*.refreshToken', '*.password', '*.secret'], censor: '[redacted]' },
  });
}
