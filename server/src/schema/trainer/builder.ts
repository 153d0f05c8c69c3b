import SchemaBuilder from '@pothos/core';
import type { TrainerContext } from '../../context.js';
import { inputBoundsPlugin } from '../../validation/input-bounds.js';

/**
 * The trainer endpoint's own builder (/trainer/graphql). Its schema is separate from the public
 * one, so SDK codegen and the playground never see trainer operations. Every caller holds a job
 * token (the context refuses anything else); failures are GraphQL errors with stable codes.
 * Every input is bounded by the input-bounds plugin (validation/input-bounds.ts): a value out of
 * its bounds is refused with BAD_USER_INPUT naming the field, before the resolver runs.
 */
export const trainerBuilder = new SchemaBuilder<{
  Context: TrainerContext;
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [inputBoundsPlugin],
  // The scope-auth plugin's types are global once any builder uses it; this builder does not
  // register it (the context admits job tokens only), so the option is inert.
  scopeAuth: { authScopes: () => ({}) },
});
