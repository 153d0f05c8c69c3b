import { GraphQLError, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestLimits } from '../../config/config.js';
import { unauthenticated } from '../../auth/authenticate.js';
import { limitError } from './errors.js';
import { KeySessions, stoppable } from './key-sessions.js';
import { checkCost, checkShape, checkSource, type QueryLimits } from './query-limits.js';
import { RESPONSE_BUDGET, ResponseBudget } from './response-budget.js';

type WithBudget = { [RESPONSE_BUDGET]?: ResponseBudget; auth?: { kind?: string; keyId?: string } | null };

export const queryLimitsOf = (limits: RequestLimits): QueryLimits => ({
  maxTokens: limits.maxTokens,
  maxDepth: limits.maxDepth,
  maxAliases: limits.maxAliases,
  maxBreadth: limits.maxBreadth,
  maxCost: limits.maxCost,
});

/**
 * Bounds on the document and its result, for HTTP and graphql-ws alike (both go through the
 * same envelop hooks): the body is counted while it streams in; tokens and bracket nesting are
 * counted by the lexer before the (recursive) parser runs; depth, aliases and breadth are checked
 * before the standard validation rules; the cost model before execution, with the variables; and
 * the response is charged field by field against its byte budget while it is built. Subscription
 * streams opened with an API key are registered with `sessions`, so revoking the key ends them.
 */
export function useDocumentLimits(limits: RequestLimits, sessions?: KeySessions): Plugin {
  const queryLimits = queryLimitsOf(limits);
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser || request.method !== 'POST' || isMultipart(request)) return;
      const tooLarge = bodyTooLarge(request.headers.get('content-length'), limits.maxBodyBytes);
      if (tooLarge) throw tooLarge;
      const parse = requestParser;
      setRequestParser(async (req) => parse(await limitBody(req, limits.maxBodyBytes, fetchAPI)));
    },
    onParse({ params }) {
      const text = typeof params.source === 'string' ? params.source : params.source.body;
      const error = checkSource(text, queryLimits);
      if (error) throw error;
      // Depth, aliases and breadth right after parsing, before validation (whose cost grows with
      // the square of a selection set's width). Thrown, not handed on as the parse result: later
      // hooks would relabel it a spec parse error, which yoga answers 200 to application/json.
      return ({ result }) => {
        if (!result || result instanceof Error) return;
        const shapeError = checkShape(result as DocumentNode, queryLimits);
        if (shapeError) throw shapeError;
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const error = checkCost(args.schema, args.document, args.operationName, args.variableValues, queryLimits);
      if (error) return void setResultAndStopExecution({ errors: [error] });
      const budget = new ResponseBudget(limits.maxResponseBytes);
      (args.contextValue as WithBudget)[RESPONSE_BUDGET] = budget;
      return {
        onExecuteDone({ result, setResult }) {
          if (budget.exceeded && !isAsyncIterable(result)) setResult({ errors: [budget.exceeded] });
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = checkCost(args.schema, args.document, args.operationName, args.variableValues, queryLimits);
      if (error) return void setResultAndStopExecution({ errors: [error] });
      const context = args.contextValue as WithBudget;
      const budget = new ResponseBudget(limits.maxResponseBytes);
      context[RESPONSE_BUDGET] = budget;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          let unregister = () => undefined as void;
          const keyId = context.auth?.kind === 'apiKey' ? context.auth.keyId : undefined;
          if (sessions && keyId) {
            const guarded = stoppable(result);
            setResult(guarded.iterator);
            unregister = sessions.open(keyId, (reason) => guarded.stop({ errors: [unauthenticated(reason)] }));
          }
          return {
            onNext({ setResult: replace }) {
              if (budget.exceeded) replace({ errors: [budget.exceeded] } as ExecutionResult);
              budget.reset();
            },
            onEnd() {
              unregister();
            },
          };
        },
      };
    },
  };
}

function isMultipart(request: Request) {
  return (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/');
}

const tooLargeError = (limit: number, actual?: number, closeConnection = false) =>
  limitError('REQUEST_TOO_LARGE', `Request body is larger than ${Math.round(limit / 1024)} KB${actual ? ` (${Math.ceil(actual / 1024)} KB)` : ''}; send a shorter query (ask for fewer fields or aliases) and upload files with requestDatasetUpload or multipart`, {
    limitName: 'bodyBytes',
    limit,
    ...(actual ? { actual } : {}),
    setting: 'BRIGHTRUN_MAX_BODY_KB',
    status: 413,
    // A body cut after being read in part cannot be skipped to the next request: end the connection.
    ...(closeConnection ? { headers: { Connection: 'close' } } : {}),
  });

/** A Content-Length over the limit (checked before a byte of the body is read). */
export function bodyTooLarge(contentLength: string | null, limit: number): GraphQLError | null {
  if (contentLength == null || !/^\d+$/.test(contentLength)) return null;
  const length = Number(contentLength);
  return length > limit ? tooLargeError(limit, length) : null;
}

/**
 * The body read up to `limit` bytes (chunked bodies have no Content-Length), then handed on as a
 * buffered request: over the limit, a 413 that closes the connection (what is left of the body
 * is never read). JSON bodies are read whole by the parser anyway; this only bounds them.
 */
async function limitBody(request: Request, limit: number, fetchAPI: { Request: typeof Request }): Promise<Request> {
  if (!request.body) return request;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    seen += next.value.byteLength;
    if (seen > limit) throw tooLargeError(limit, undefined, true);
    chunks.push(next.value);
  }
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: Buffer.concat(chunks) });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
