/** This package's version (kept equal to sdk/package.json's by a test). */
export const SDK_VERSION = '1.0.0';
