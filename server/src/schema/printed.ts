import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';
import { LIMIT_DEFAULTS as L } from '../config/config.js';
import { ASSUMED_LIST_SIZE, ASSUMED_PAGE, INTROSPECTION_MAX_DEPTH } from '../http/limits/query-limits.js';

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
# Limits, checked before the work they bound (defaults; each is set by the environment variable
# named). A refusal is one GraphQL error whose extensions carry code, limitName, limit, setting
# (the variable) and, where measured, actual:
# - The key is checked from the headers before the body is read: no valid key, nothing parsed.
# - REQUEST_TOO_LARGE (HTTP 413): a JSON body or graphql-ws message over ${L.BRIGHTRUN_MAX_BODY_KB} KB
#   (BRIGHTRUN_MAX_BODY_KB; files go by multipart or requestDatasetUpload).
# - QUERY_TOO_COMPLEX (HTTP 400), before execution: over ${fmt(L.BRIGHTRUN_MAX_QUERY_TOKENS)} tokens (BRIGHTRUN_MAX_QUERY_TOKENS),
#   fields ${L.BRIGHTRUN_MAX_QUERY_DEPTH} deep (BRIGHTRUN_MAX_QUERY_DEPTH; introspection ${INTROSPECTION_MAX_DEPTH}), ${L.BRIGHTRUN_MAX_QUERY_ALIASES} aliases with fragments
#   expanded (BRIGHTRUN_MAX_QUERY_ALIASES), ${L.BRIGHTRUN_MAX_QUERY_BREADTH} fields in one selection set
#   (BRIGHTRUN_MAX_QUERY_BREADTH), or a cost over ${fmt(L.BRIGHTRUN_MAX_QUERY_COST)} (BRIGHTRUN_MAX_QUERY_COST): each object
#   the operation may return counts 1, multiplied by the page sizes of the lists above it
#   (first/last, maxPoints, lines; a connection without first/last counts ${ASSUMED_PAGE}, another list
#   ${ASSUMED_LIST_SIZE}). jobMetrics(maxPoints: 10000) costs about 10,000.
# - RESPONSE_TOO_LARGE: a response, or one subscription event, over ${L.BRIGHTRUN_MAX_RESPONSE_MB} MB of JSON
#   (BRIGHTRUN_MAX_RESPONSE_MB); ask for smaller pages.
# - RATE_LIMITED (HTTP 429 with Retry-After, also in extensions.retryAfterSeconds): over
#   ${fmt(L.BRIGHTRUN_RATE_LIMIT_PER_KEY)} requests per ${L.BRIGHTRUN_RATE_LIMIT_WINDOW_S} s per key (BRIGHTRUN_RATE_LIMIT_PER_KEY) or ${fmt(L.BRIGHTRUN_RATE_LIMIT_PER_IP)} per client
#   address (BRIGHTRUN_RATE_LIMIT_PER_IP); each graphql-ws operation counts against its key.
# - SUBSCRIPTION_LIMIT: over ${L.BRIGHTRUN_MAX_SUBSCRIPTIONS_PER_SOCKET} operations in flight on one graphql-ws socket
#   (BRIGHTRUN_MAX_SUBSCRIPTIONS_PER_SOCKET); the socket stays open.
# Sessions follow their keys: revoking a key closes its graphql-ws sockets with 4403 and ends its
# SSE streams with UNAUTHENTICATED, on every server instance, within a second; every operation
# on a socket checks its key again. A connection_init credential that is not a string closes 4400.
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

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** Sorted, so a diff of schema.graphql shows what changed rather than where it was declared. */
export const printApiSchema = () => `${HEADER}\n${printSchema(lexicographicSortSchema(schema))}\n`;
