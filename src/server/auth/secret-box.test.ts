import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, keyFromFile, SecretBox, secretBoxFor } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips, with a fresh nonce each time and nothing of the clear text in the sealed value', () => {
    const a = box.seal('JBSWY3DPEHPK3PXP', 'totp');
    const b = box.seal('JBSWY3DPEHPK3PXP', 'totp');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DP');
    expect(SecretBox.isSealed(a)).toBe(true);
    expect(SecretBox.isSealed('JBSWY3DPEHPK3PXP')).toBe(false);
    expect(box.open(a, 'totp')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another key, another purpose, or an altered value', () => {
    const sealed = box.seal('secret', 'totp');
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'totp')).toThrow(/cannot be decrypted/);
    expect(() => box.open(sealed, 'other')).toThrow(/cannot be decrypted/);
    const raw = Buffer.from(sealed.slice('aesgcm:v1:'.length), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`aesgcm:v1:${raw.toString('base64url')}`, 'totp')).toThrow(/cannot be decrypted/);
    expect(() => box.open('JBSWY3DP', 'totp')).toThrow(/not sealed/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16)).seal('x', 'p')).toThrow(/32 bytes/);
  });
});

describe('the key file in the data directory', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('is made on first use with mode 0600 and read back the same afterwards', () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-key-'));
    const dataDir = join(dir, 'data');
    const key = keyFromFile(dataDir);
    expect(key).toHaveLength(32);
    const path = join(dataDir, KEY_FILE_NAME);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')).toEqual(key);
    expect(keyFromFile(dataDir)).toEqual(key);
    // A box over the same data directory opens what another sealed.
    const sealed = secretBoxFor({ secretKey: null, dataDir }).seal('abc', 'p');
    expect(secretBoxFor({ secretKey: null, dataDir }).open(sealed, 'p')).toBe('abc');
  });

  it('is not read until a secret is, and BEACON_SECRET_KEY takes precedence', () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-key-'));
    const key = randomBytes(32);
    const box = secretBoxFor({ secretKey: key, dataDir: dir });
    expect(new SecretBox(key).open(box.seal('abc', 'p'), 'p')).toBe('abc');
    expect(() => statSync(join(dir ?? '', KEY_FILE_NAME))).toThrow();
    // ready() (what start-up calls) makes the key file at once when there is no configured key.
    secretBoxFor({ secretKey: null, dataDir: dir }).ready();
    expect(statSync(join(dir ?? '', KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file others can read', () => {
    dir = mkdtempSync(join(tmpdir(), 'beacon-key-'));
    keyFromFile(dir);
    chmodSync(join(dir, KEY_FILE_NAME), 0o644);
    expect(() => keyFromFile(dir ?? '')).toThrow(/chmod 600/);
  });
});
