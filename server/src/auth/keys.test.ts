import { describe, expect, it } from 'vitest';
import { API_KEY_PATTERN } from '../config/config.js';
import { bearerFrom } from './authenticate.js';
import { generateApiKey, generateTrainerToken, hashSecret, keyPrefix } from './keys.js';

describe('API keys', () => {
  it('are brk_ + 40 random base62 characters, distinct, and accepted as BRIGHTRUN_ADMIN_KEY', () => {
    const keys = new Set(Array.from({ length: 200 }, generateApiKey));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^brk_[A-Za-z0-9]{40}$/);
    expect(API_KEY_PATTERN.test(generateApiKey())).toBe(true);
    expect(generateTrainerToken()).toMatch(/^brj_[A-Za-z0-9]{40}$/);
  });

  it('are stored as a sha256 hash and shown by a short prefix', () => {
    const key = 'brk_' + 'a'.repeat(40);
    expect(hashSecret(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(key)).not.toContain('aaaa');
    expect(keyPrefix(key)).toBe('brk_aaaaaaaa');
  });

  it('are read from a Bearer header, tolerating case and spaces, refusing other schemes', () => {
    expect(bearerFrom('Bearer brk_x')).toBe('brk_x');
    expect(bearerFrom('bearer   brk_x ')).toBe('brk_x');
    expect(bearerFrom('brk_x')).toBe('brk_x');
    expect(bearerFrom('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerFrom(undefined)).toBeNull();
  });
});
