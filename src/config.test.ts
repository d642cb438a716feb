import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('.beacon')).toBe(true);
    expect(c.session).toEqual({ idleMinutes: 30, maxHours: 12 });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must start with postgres/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ BEACON_SECRET_KEY: 'short' }, /BEACON_SECRET_KEY: must be 32 bytes/],
  ])('rejects %j with a readable message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts a PostgreSQL URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/beacon' }).databaseUrl).toBe(
      'postgres://u@127.0.0.1:5432/beacon',
    );
  });

  it('reads BEACON_SECRET_KEY as 64 hex digits or base64 of 32 bytes', () => {
    expect(loadConfig({}).secretKey).toBeNull();
    expect(loadConfig({ BEACON_SECRET_KEY: 'ab'.repeat(32) }).secretKey).toEqual(Buffer.alloc(32, 0xab));
    expect(loadConfig({ BEACON_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).secretKey).toEqual(Buffer.alloc(32, 7));
  });
});
