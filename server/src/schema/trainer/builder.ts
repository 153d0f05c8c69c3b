import SchemaBuilder from '@pothos/core';
import type { TrainerContext } from '../../context.js';

/**
 * The trainer endpoint's own builder (/trainer/graphql). Its schema is separate from the public
 * one, so SDK codegen and the playground never see trainer operations. Every caller holds a job
 * token (the context refuses anything else); failures are GraphQL errors with stable codes.
 */
export const trainerBuilder = new SchemaBuilder<{
  Context: TrainerContext;
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  // The scope-auth plugin's types are global once any builder uses it; this builder registers no
  // plugins (the context admits job tokens only), so the option is inert.
  scopeAuth: { authScopes: () => ({}) },
});
