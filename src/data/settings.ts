import type { Queryable } from './db';

export async function getSetting<T>(db: Queryable, key: string): Promise<T | null> {
  const rows = await db.query<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key]);
  return rows[0]?.value ?? null;
}

export async function setSetting(db: Queryable, key: string, value: unknown, by: string): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value, updated_by) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [key, JSON.stringify(value), by],
  );
}
