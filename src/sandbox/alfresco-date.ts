/** Alfresco writes dates as ISO-8601 with milliseconds and an offset without a colon: 2011-02-15T20:19:00.007+0000. */
export function alfrescoDate(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}
