import { GraphQLError } from 'graphql';
import { TooManyHeavyOperationsError } from '../limits/heavy.js';
import { TooManyExportsError } from '../metrics/export.js';

/**
 * Runs a resolver's work and reports a refusal by the heavy-operation bounds as a GraphQL error a
 * client can act on: `extensions.code` (TOO_MANY_HEAVY_OPERATIONS or TOO_MANY_EXPORTS) and
 * `retryAfterSeconds`. Like a rate limit it is about load, not about the input, so it is not a
 * member of the field's result union.
 */
export async function boundedHeavy<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TooManyHeavyOperationsError) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, retryAfterSeconds: error.retryAfterSeconds, limit: error.limit, scope: error.scope } });
    }
    if (error instanceof TooManyExportsError) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, retryAfterSeconds: error.retryAfterSeconds, limit: error.limit } });
    }
    throw error;
  }
}
