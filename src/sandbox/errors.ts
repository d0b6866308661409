import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 416 | 422 | 500 | 501 | 503;

/**
 * Answers with Alfresco's error JSON: `briefSummary` opens with an 8-digit log number and `stackTrace`
 * carries the fixed text real servers send. 401s also carry `WWW-Authenticate`, as Alfresco's do.
 */
export function alfrescoError(c: Context, status: ErrorStatus, errorKey: string, summary: string): Response {
  const logNumber = String(Math.floor(Math.random() * 100_000_000)).padStart(8, '0');
  if (status === 401) c.header('WWW-Authenticate', 'Basic realm="Alfresco"');
  return c.json(
    {
      error: {
        errorKey,
        statusCode: status,
        briefSummary: `${logNumber} ${summary}`,
        stackTrace: 'For security reasons the stack trace is no longer displayed, but the property is kept for previous versions.',
        descriptionURL: 'https://api-explorer.alfresco.com',
        logId: randomUUID(),
      },
    },
    status,
  );
}
