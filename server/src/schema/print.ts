// Prints the API contract to ../schema.graphql (committed; schema.test.ts fails when it is stale).
import { writeFile } from 'node:fs/promises';
import { SCHEMA_FILE, printApiSchema } from './printed.js';

await writeFile(SCHEMA_FILE, printApiSchema());
console.log(`wrote ${SCHEMA_FILE}`);
