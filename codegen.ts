import { readdirSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the clients, generated from the committed API contract. Each client keeps
// its operations beside its code; `npm run codegen` writes their types into src/graphql/generated.

/** The newest released contract in schema/released/ (vX.Y.Z.graphql): the API version clients are generated for. */
const releasedVersion = readdirSync('schema/released')
  .map((name) => /^v(\d+)\.(\d+)\.(\d+)\.graphql$/.exec(name))
  .filter((match): match is RegExpExecArray => match !== null)
  .map((match) => [Number(match[1]), Number(match[2]), Number(match[3])] as const)
  .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2])
  .map((parts) => parts.join('.'))
  .pop();

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    // The SDK: operations in sdk/src/operations/*.graphql; documents as strings (no graphql-js at
    // run time), imports with .js extensions (ESM and CJS builds), only the types its operations use.
    'sdk/src/graphql/generated/': {
      documents: ['sdk/src/operations/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        onlyOperationTypes: true,
        emitLegacyCommonJSImports: false,
        scalars: { DateTime: 'string', JSON: 'unknown', SafeInt: 'number', Upload: 'unknown' },
      },
    },
    'sdk/src/graphql/generated/schema-version.ts': {
      plugins: [{ add: { content: `/** The released API contract (schema/released/v${releasedVersion}.graphql) these types were generated for. */\nexport const SCHEMA_VERSION = '${releasedVersion}';` } }],
    },
    'web/src/lib/graphql/generated/': {
      // Documents live in .ts files (lib/graphql/): pluck cannot read .svelte without svelte2tsx.
      documents: ['web/src/**/*.ts', '!web/src/lib/graphql/generated/**'],
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown', Upload: 'File' } },
    },
  },
};

// CODEGEN_ONLY=web (or sdk) generates one client's types: each workspace's build runs its own.
const only = process.env.CODEGEN_ONLY;
if (only) config.generates = Object.fromEntries(Object.entries(config.generates).filter(([target]) => target.startsWith(`${only}/`)));

export default config;
