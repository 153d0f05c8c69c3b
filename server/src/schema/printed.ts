import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));

/** The contract's conventions, in the file every client generates from. Keep README's "API" section in step. */
export const HEADER = `# BrightRun LoRA API v1 — generated from the Pothos schema by \`npm run schema:print\`; do not edit.
#
# Endpoint: POST /graphql with "Authorization: Bearer brk_…" (an API key; keys carry READ, WRITE
# and ADMIN scopes). GraphiQL: open /graphql in a browser (not in production).
# Subscriptions: graphql-ws (protocol graphql-transport-ws) at /graphql, also /graphql/ws. Send
# the key in connection_init: { "authorization": "Bearer brk_…" } (also accepted: "Authorization",
# "apiKey"). A refused key closes the socket with 4403 and the reason.
# Training pods use their own endpoint and schema (/trainer/graphql, job tokens only); no API
# key works there and no job token works here.
#
# Errors.
# - Expected failures are data: every mutation takes one argument \`input: <Name>Input!\` and
#   returns \`<Name>Result\`, a union of \`<Name>Success\` (whose field names the noun: { dataset },
#   { job }…) and error types implementing \`interface Error { code: ErrorCode!, message: String! }\`.
#   Select \`... on Error { code message }\` to handle any of them.
# - By-id queries (dataset, trainingJob, modelArtifact, node…) return null for "not in your
#   workspace"; ids of other workspaces read the same as unknown ids.
# - Everything else is a GraphQL error with a stable extensions.code: UNAUTHENTICATED (HTTP 401:
#   missing, unknown or revoked key), FORBIDDEN (the key lacks the scope), BAD_USER_INPUT (an
#   argument out of range, e.g. first > the page limit, or a bad cursor), NOT_FOUND (a
#   subscription on an unknown id: one error, then it ends), SERVER_STARTING (HTTP 503 with
#   Retry-After while the server starts). Unexpected failures are masked.
#
# Pagination: every list is a Relay connection (<Type>Connection, <Type>Edge) with totalCount and
# pageInfo; first/after forward, last/before backward. Cursors are opaque keyset positions, so a
# page does not shift when rows are added. Each list's description gives its page limit.
#
# Ids are global and typed by prefix (ds_…, job_…, art_…); \`node(id:)\` fetches any Node.
# Money: US dollars as Float, in fields whose names end in Usd (spendUsd, pricePerHourUsd…).
# Byte sizes and token totals: SafeInt (whole numbers exact to 2^53 − 1, plain JSON numbers).
# Times: DateTime (ISO-8601, UTC). Closed sets are enums; open sets (GPU types, base models) are
# strings checked against trainingCatalog.
`;

/** Sorted, so a diff of schema.graphql shows what changed rather than where it was declared. */
export const printApiSchema = () => `${HEADER}\n${printSchema(lexicographicSortSchema(schema))}\n`;
