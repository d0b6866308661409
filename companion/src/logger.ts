import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactForLog } from './log-redaction.ts';

/**
 * JSON logs, with secrets taken out of everything logged, however deep (log-redaction.ts): values under
 * secret-looking keys, handles in link paths, secret query values, bearer tokens and tickets in text.
 * `destination` is stdout unless given (tests pass a buffer). `instance` (the `instanceId` setting) is on
 * every line, so the lines of several instances in one log store tell which instance wrote them.
 */
export function createLogger(level = process.env.FS_LOG_LEVEL ?? 'info', destination?: DestinationStream, { instance }: { instance?: string } = {}): Logger {
  const options = {
    level,
    // pino's own pid and hostname, and the instance id when there is one.
    base: { pid: process.pid, hostname: hostname(), ...(instance === undefined ? {} : { instance }) },
    // Errors are already plain objects when pino's serializers run (see formatters.log): kept as they are.
    serializers: { err: (error: unknown) => error },
    formatters: {
      // Runs before pino's serializers, so errors arrive here whole (their causes included) and leave as plain, redacted objects.
      log: (object: Record<string, unknown>) => redactForLog(object) as Record<string, unknown>,
    },
    hooks: {
      // The message text too: `logger.info('…')` may carry a path or a URL.
      logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? (redactForLog(arg) as string) : arg)));
      },
    },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // A child's bindings skip the formatters: they are redacted on the way in (children inherit this `child`).
  type Child = (this: unknown, bindings: object, options?: object) => unknown;
  // Called below with the logger it is called on (a child's `this`), never unbound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const child = logger.child as unknown as Child;
  const redactingChild: Child = function (bindings, childOptions) {
    return child.call(this, redactForLog(bindings) as object, childOptions);
  };
  logger.child = redactingChild as unknown as Logger['child'];
  return logger;
}
