import { builder } from '../builder.js';

// The root types. Their fields live beside the types they return (one module per domain type).

builder.queryType({ description: 'Reads. Every field needs an API key with the read scope unless it says otherwise. By-id fields return null for "not in your workspace".' });
builder.mutationType({
  description:
    'Writes. Every field needs an API key with the write scope unless it says otherwise. Each takes one `input` and returns a union of its `…Success` payload and the typed errors it can meet.',
});
builder.subscriptionType({
  description:
    'Live updates over graphql-ws at /graphql (or /graphql/ws); send the key in connection_init as `{ "authorization": "Bearer brk_…" }`. A subscription on an unknown id ends with one error whose extensions.code is NOT_FOUND.',
});
