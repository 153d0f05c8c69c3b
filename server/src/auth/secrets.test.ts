import { describe, expect, it } from 'vitest';
import { SecretBox, SecretDecryptionError, secretHint } from './secrets.js';

const box = new SecretBox('a-server-secret-of-enough-length-0123456789');

describe('SecretBox', () => {
  it('round-trips and uses a fresh IV each time (v1:<iv>:<tag>:<ciphertext>, base64url)', () => {
    const a = box.encrypt('rpa_ABCDEF1234567890', 'ws_1:runpodApiKey');
    const b = box.encrypt('rpa_ABCDEF1234567890', 'ws_1:runpodApiKey');
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('rpa_');
    expect(box.decrypt(a, 'ws_1:runpodApiKey')).toBe('rpa_ABCDEF1234567890');
    expect(box.decrypt(box.encrypt('', 'x'), 'x')).toBe('');
  });

  it('refuses tampered ciphertext, a tampered tag, another context and another server secret', () => {
    const stored = box.encrypt('whsec_secret-value', 'ws_1:webhookSecret');
    const [v, iv, tag, ct] = stored.split(':') as [string, string, string, string];
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64url');
    };
    expect(() => box.decrypt([v, iv, tag, flip(ct)].join(':'), 'ws_1:webhookSecret')).toThrow(SecretDecryptionError);
    expect(() => box.decrypt([v, iv, flip(tag), ct].join(':'), 'ws_1:webhookSecret')).toThrow(/authentication tag does not match/);
    expect(() => box.decrypt(stored, 'ws_2:webhookSecret')).toThrow(SecretDecryptionError);
    expect(() => new SecretBox('another-server-secret-0123456789').decrypt(stored, 'ws_1:webhookSecret')).toThrow(/another server secret/);
  });

  it('names what is wrong with a malformed value', () => {
    expect(() => box.decrypt('plain text', '')).toThrow(/not in the v1:<iv>:<tag>:<ciphertext> format/);
    expect(() => box.decrypt('v9:a:b:c', '')).toThrow(/unknown format version "v9"/);
    expect(() => box.decrypt('v1:AAAA:AAAA:AAAA', '')).toThrow(/wrong length/);
  });

  it('refuses a short server secret', () => {
    expect(() => new SecretBox('short')).toThrow(/at least 16 characters/);
  });
});

describe('secretHint', () => {
  it('shows set/not set and only the last 4 characters, nothing for short secrets', () => {
    expect(secretHint(null)).toEqual({ isSet: false, lastFour: null });
    expect(secretHint('rpa_ABCDEF1234567890')).toEqual({ isSet: true, lastFour: '7890' });
    expect(secretHint('short1')).toEqual({ isSet: true, lastFour: null });
  });
});
