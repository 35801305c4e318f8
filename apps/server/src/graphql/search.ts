// Case-insensitive "contains" filters for search arguments. Prisma passes `contains` into LIKE
// without escaping its wildcards, so a search for "%" or "_" would match everything.
export function containsText(text: string) {
  return { contains: text.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' as const };
}
