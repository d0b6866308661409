/** The `fields` parameter: only the named top-level properties of an entity (all of them when none are named). */
export function pickFields(entity: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return entity;
  return Object.fromEntries(fields.filter((key) => key in entity).map((key) => [key, entity[key]]));
}
