import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));

const HEADER = `# BrightRun LoRA API — generated from the Pothos schema by \`npm run schema:print\`; do not edit.
# Endpoint: POST /graphql (Authorization: Bearer brk_…) · subscriptions: graphql-ws at /graphql/ws
`;

/** Sorted, so a diff of schema.graphql shows what changed rather than where it was declared. */
export const printApiSchema = () => `${HEADER}\n${printSchema(lexicographicSortSchema(schema))}\n`;
