import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for the secrets a workspace stores (the RunPod API key, the webhook signing
 * secret): AES-256-GCM under a key derived with HKDF-SHA256 from the server secret
 * (BRIGHTRUN_SECRET, or the one generated in the data dir).
 *
 * Stored form: `v1:<iv>:<tag>:<ciphertext>`, each part base64url. The version prefix leaves room
 * for a later scheme (another KDF, key rotation) without guessing what old rows hold.
 *
 * `context` (e.g. `"ws_…:runpodApiKey"`) is bound as associated data: a ciphertext copied to
 * another workspace or another field fails to decrypt instead of leaking into the wrong place.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'brightrun-lora/secrets';
const HKDF_INFO = 'aes-256-gcm/v1';

export class SecretDecryptionError extends Error {
  readonly code = 'SECRET_UNREADABLE';
  constructor(reason: string) {
    super(
      `Cannot decrypt a stored secret: ${reason}. It was tampered with, or encrypted under another server secret ` +
        '(BRIGHTRUN_SECRET or <data dir>/secret.key changed); set the secret again in the workspace settings',
    );
    this.name = 'SecretDecryptionError';
  }
}

export class SecretBox {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    if (serverSecret.length < 16) throw new Error('SecretBox needs a server secret of at least 16 characters');
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, HKDF_SALT, HKDF_INFO, 32));
  }

  encrypt(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(`${VERSION}|${context}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join(':');
  }

  decrypt(stored: string, context = ''): string {
    const parts = stored.split(':');
    if (parts.length !== 4) throw new SecretDecryptionError('it is not in the v1:<iv>:<tag>:<ciphertext> format');
    const [version, ivText, tagText, ciphertextText] = parts as [string, string, string, string];
    if (version !== VERSION) throw new SecretDecryptionError(`unknown format version "${version}"`);
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptionError('its IV or authentication tag has the wrong length');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${VERSION}|${context}`));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('the authentication tag does not match');
    }
  }
}

/** What the API may show of a secret: whether it is set and its last 4 characters. */
export interface SecretHint {
  isSet: boolean;
  lastFour: string | null;
}

export function secretHint(plaintext: string | null | undefined): SecretHint {
  if (!plaintext) return { isSet: false, lastFour: null };
  // A very short secret would be mostly revealed by its last 4: show nothing then.
  return { isSet: true, lastFour: plaintext.length >= 12 ? plaintext.slice(-4) : null };
}
