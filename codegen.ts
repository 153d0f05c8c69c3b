import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the clients, generated from the committed API contract. Each client keeps
// its operations beside its code; `npm run codegen` writes their types into src/graphql/generated.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'sdk/src/graphql/generated/': {
      documents: ['sdk/src/**/*.graphql', 'sdk/src/**/*.ts', '!sdk/src/graphql/generated/**'],
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown', Upload: 'File' } },
    },
    'web/src/lib/graphql/generated/': {
      documents: ['web/src/**/*.graphql', 'web/src/**/*.svelte', 'web/src/**/*.ts', '!web/src/lib/graphql/generated/**'],
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown', Upload: 'File' } },
    },
  },
};

export default config;
