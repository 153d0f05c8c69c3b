import { describe, expect, it } from 'vitest';
import { safeNext } from './next';

describe('safeNext', () => {
  it('keeps paths of this site and refuses anything that leaves it', () => {
    expect(safeNext('/datasets?sort=name')).toBe('/datasets?sort=name');
    for (const bad of [null, 'https://evil.example', '//evil.example', '/\\evil.example', '/sign-in?next=/x', 'javascript:alert(1)']) expect(safeNext(bad)).toBe('/');
  });
});
