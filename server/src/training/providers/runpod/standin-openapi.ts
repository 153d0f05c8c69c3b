/**
 * RunPod's published REST v2 contract, enforced: the stand-in loads the OpenAPI document at run
 * time, matches each request to its operation and validates the body and query with ajv (JSON
 * Schema 2020-12, as OpenAPI 3.1 uses), resolving the document's own `$ref`s.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';

/** `shared/` sits beside the project root: /work/main/server/src/training/providers/runpod → /work/shared. */
export const DEFAULT_OPENAPI_PATH = fileURLToPath(
  new URL('../../../../../../shared/reference/runpod-rest-v2.openapi.json', import.meta.url),
);

const DOC = 'runpod-openapi';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { type?: string | string[] };
  $ref?: string;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, unknown> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, unknown> & { parameters?: Parameter[] }>;
  components: { parameters?: Record<string, Parameter> };
}

export interface MatchedOperation {
  template: string;
  method: string;
  operationId: string;
  pathParams: Record<string, string>;
}

function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/** "$.gpu.count: must be >= 1", in the style of RunPod's own `errors` entries. */
function describe(error: ErrorObject): string | null {
  if (error.keyword === 'if') return null; // its `then` failure says what is wrong
  const at = '$' + error.instancePath.replace(/\//g, '.');
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'unevaluatedProperties') return `${at}: property '${String(params.unevaluatedProperty)}' is not allowed`;
  if (error.keyword === 'additionalProperties') return `${at}: property '${String(params.additionalProperty)}' is not allowed`;
  if (error.keyword === 'enum') return `${at}: ${error.message} (${(params.allowedValues as unknown[]).join(', ')})`;
  return `${at}: ${error.message}`;
}

export class OpenApiContract {
  private readonly doc: OpenApiDocument;
  private readonly ajv: Ajv2020;
  private readonly routes: Array<{ template: string; pattern: RegExp; names: string[] }>;

  constructor(path: string = DEFAULT_OPENAPI_PATH) {
    this.doc = JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
    const addFormats = (formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule;
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    for (const openApiFormat of ['float', 'double', 'int32', 'int64']) this.ajv.addFormat(openApiFormat, true);
    this.ajv.addSchema(this.doc as object, DOC);
    // Literal segments before templated ones, so /v2/registries/delegations beats /v2/registries/{id}.
    this.routes = Object.keys(this.doc.paths)
      .map((template) => {
        const names: string[] = [];
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
        return { template, pattern: new RegExp(`^${source}$`), names };
      })
      .sort((a, b) => a.names.length - b.names.length);
  }

  /** The operation for a request, or `{ allowed }` when the path exists without that method, or null. */
  match(method: string, pathname: string): MatchedOperation | { allowed: string[] } | null {
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      const item = this.doc.paths[route.template]!;
      const operation = item[method.toLowerCase()] as Operation | undefined;
      if (!operation) return { allowed: METHODS.filter((m) => m in item).map((m) => m.toUpperCase()) };
      const pathParams = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
      return { template: route.template, method: method.toLowerCase(), operationId: operation.operationId ?? '', pathParams };
    }
    return null;
  }

  private validator(pointer: string): ValidateFunction {
    const validate = this.ajv.getSchema(`${DOC}#${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer} in the RunPod OpenAPI document`);
    return validate;
  }

  private operation(op: MatchedOperation): Operation {
    return this.doc.paths[op.template]![op.method] as Operation;
  }

  /** Violations of the operation's JSON request body schema; [] when it conforms. */
  validateBody(op: MatchedOperation, body: unknown, bodyText: string): string[] {
    const requestBody = this.operation(op).requestBody;
    if (!requestBody) return [];
    if (bodyText.trim() === '') return requestBody.required ? ['$: a JSON request body is required'] : [];
    if (body === undefined) return ['$: the request body is not valid JSON'];
    const pointer = ['paths', op.template, op.method, 'requestBody', 'content', 'application/json', 'schema']
      .map(pointerSegment)
      .join('/');
    return this.check(this.validator(`/${pointer}`), body);
  }

  /** Violations of the operation's query parameters, coerced from strings as OpenAPI's form style does. */
  validateQuery(op: MatchedOperation, query: URLSearchParams): string[] {
    const shared = this.doc.paths[op.template]!.parameters ?? [];
    const own = this.operation(op).parameters ?? [];
    const problems: string[] = [];
    const all = [
      ...shared.map((p, i) => ({ p, base: ['paths', op.template, 'parameters', String(i)] })),
      ...own.map((p, i) => ({ p, base: ['paths', op.template, op.method, 'parameters', String(i)] })),
    ];
    for (const { p, base } of all) {
      const [param, pointer] = p.$ref
        ? [this.doc.components.parameters![p.$ref.split('/').pop()!]!, `${p.$ref.slice(1)}/schema`]
        : [p, `/${[...base, 'schema'].map(pointerSegment).join('/')}`];
      if (param.in !== 'query') continue;
      const raw = query.get(param.name);
      if (raw === null) {
        if (param.required) problems.push(`query.${param.name}: is required`);
        continue;
      }
      const validate = this.validator(pointer);
      const value = this.coerce(raw, validate.schema as { type?: unknown });
      problems.push(...this.check(validate, value).map((m) => m.replace(/^\$/, `query.${param.name}`)));
    }
    return problems;
  }

  /** Validates a value against a named component schema (used to check the stand-in's own answers). */
  validateSchema(name: string, value: unknown): string[] {
    return this.check(this.validator(`/components/schemas/${pointerSegment(name)}`), value);
  }

  private coerce(raw: string, schema: { type?: unknown }): unknown {
    const type = schema.type;
    if (type === 'array') return raw.split(',');
    if ((type === 'integer' || type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
    if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
    return raw;
  }

  private check(validate: ValidateFunction, value: unknown): string[] {
    if (validate(value)) return [];
    const messages = (validate.errors ?? []).map(describe).filter((m): m is string => m !== null);
    return [...new Set(messages)];
  }
}
