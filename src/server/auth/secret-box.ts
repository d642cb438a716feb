/**
 * Secrets Beacon must be able to read back (TOTP shared secrets) are kept encrypted with
 * AES-256-GCM under a key held outside the database: `BEACON_SECRET_KEY`, or else a key
 * file made on the first start in the data directory (mode 0600). A copy of the database
 * alone gives nobody a second factor.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config';

/** What a sealed value starts with (a clear base32 TOTP secret never contains ':'). */
export const SEALED_PREFIX = 'aesgcm:v1:';
export const KEY_FILE_NAME = 'secret.key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

export class SecretBox {
  readonly #key: () => Buffer;
  #resolved: Buffer | null = null;

  /** A key, or a function giving it on first use (so nothing is read until a secret is). */
  constructor(key: Buffer | (() => Buffer)) {
    this.#key = typeof key === 'function' ? key : () => key;
  }

  private key(): Buffer {
    if (!this.#resolved) {
      const k = this.#key();
      if (k.length !== 32) throw new SecretKeyError('the secret key must be 32 bytes');
      this.#resolved = k;
    }
    return this.#resolved;
  }

  /** Reads (or makes) the key now: start-up calls it so a missing or unsafe key stops the server at once. */
  ready(): this {
    this.key();
    return this;
  }

  static isSealed(value: string): boolean {
    return value.startsWith(SEALED_PREFIX);
  }

  /** Encrypts; `purpose` is bound in (a TOTP secret cannot be passed off as another kind). */
  seal(plain: string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** Decrypts a sealed value; throws SecretKeyError when it was sealed under another key or altered. */
  open(sealed: string, purpose: string): string {
    if (!SecretBox.isSealed(sealed)) throw new SecretKeyError('the value is not sealed');
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretKeyError('the sealed value is too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key(), raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError('a stored secret cannot be decrypted with this key (was BEACON_SECRET_KEY or the key file changed?)');
    }
  }
}

/**
 * The key in the data directory's key file, made (32 random bytes, mode 0600) when there is
 * none. Refuses a key file that others can read.
 */
export function keyFromFile(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dataDir, { recursive: true });
    try {
      // 'wx': never overwrite a key another process made in the meantime.
      writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    chmodSync(path, 0o600);
    text = readFileSync(path, 'utf8');
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new SecretKeyError(`${path} can be read by other users: make it private (chmod 600 ${path})`);
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new SecretKeyError(`${path} does not hold a 32-byte key (base64)`);
  return key;
}

/** The box for this configuration: BEACON_SECRET_KEY when set, else the data directory's key file (read on first use). */
export function secretBoxFor(config: Pick<Config, 'secretKey' | 'dataDir'>): SecretBox {
  const configured = config.secretKey;
  return configured ? new SecretBox(configured) : new SecretBox(() => keyFromFile(config.dataDir));
}
