import { builder } from '../builder.js';
import type { Dataset } from '../generated/prisma/client.js';

/** Declared apart from its fields so error types and other modules can point at it. */
export const DatasetRef = builder.objectRef<Dataset>('Dataset');
