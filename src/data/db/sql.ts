/** Quotes an SQL identifier (table or column name) for PostgreSQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The BEGIN statement for a transaction's options (same on both backends). */
export function beginStatement(options?: { isolation?: 'read committed' | 'repeatable read' | 'serializable'; readOnly?: boolean }): string {
  const mode = [options?.isolation ? `ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '', options?.readOnly ? 'READ ONLY' : '']
    .filter(Boolean)
    .join(' ');
  return mode ? `BEGIN ${mode}` : 'BEGIN';
}
