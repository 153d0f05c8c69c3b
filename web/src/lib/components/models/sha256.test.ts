import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256 } from './sha256';

describe('incremental SHA-256', () => {
  it('matches node:crypto for the standard vectors and for random data fed in uneven pieces', () => {
    expect(new Sha256().digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new Sha256().update(new TextEncoder().encode('abc')).digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const size of [55, 56, 63, 64, 65, 119, 120, 1000, 100_003]) {
      const data = new Uint8Array(randomBytes(size));
      const hash = new Sha256();
      for (let at = 0; at < size; ) {
        const piece = 1 + ((at * 7919) % 997);
        hash.update(data.subarray(at, at + piece));
        at += piece;
      }
      expect(hash.digest(), `size ${size}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});
