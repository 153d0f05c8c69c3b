import SchemaBuilder, { BasePlugin, type PothosInputFieldConfig, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import {
  GraphQLError,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLResolveInfo,
} from 'graphql';
import { ValidationError, type FieldProblem } from '../errors.js';
import { ID_PREFIXES, type IdPrefix } from '../ids.js';

/**
 * Bounds on one input field or argument. Every String and ID input gets the defaults below
 * unless its definition says otherwise (`t.string({ bounds: { maxLength: 2000 } })`), so a field
 * nobody thought about is still bounded, refuses NUL, and an ID is checked by its prefix format.
 */
export interface InputBounds {
  /** Most characters a String/ID may have. */
  maxLength?: number;
  /** Fewest characters (after nothing: the value as sent). */
  minLength?: number;
  /** The id prefix(es) an ID must carry, e.g. 'ds'. Without it any BrightRun prefix is accepted. */
  idOf?: IdPrefix | readonly IdPrefix[];
  /** Range of an Int/Float/SafeInt (inclusive). */
  min?: number;
  max?: number;
  /** Most items of a list. */
  maxItems?: number;
}

export const INPUT_DEFAULTS = {
  /** Names, search terms, reasons, file names, confirmations, settings values. */
  stringMaxLength: 200,
  /** Keyset cursors (`after`/`before`) carry the sort value (a name may be 200 characters) in base64. */
  cursorMaxLength: 1024,
  /** Real ids are 3–4 prefix characters + 19; room for ids made by hand in tests and tools. */
  idMaxLength: 64,
  /** The name of an uploaded file (Upload scalar), like requestDatasetUpload's fileName. */
  fileNameMaxLength: 200,
  maxItems: 1000,
} as const;

const EXTENSION = 'inputBounds';
const ID_FORMAT = new RegExp(`^(${Object.keys(ID_PREFIXES).join('|')})_[0-9A-Za-z_-]{1,60}$`);
const CURSOR_ARGS = new Set(['after', 'before']);
const NUL = '\u0000';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      inputBounds: InputBoundsPlugin<Types>;
    }
    interface InputFieldOptions<Types extends SchemaTypes, Type, Req> {
      /** Overrides the default bounds of this input (see validation/input-bounds.ts). */
      bounds?: InputBounds;
    }
  }
}

/** The bounds that apply to one input field or argument: its own, else the defaults for its type. */
export function effectiveBounds(field: GraphQLInputField | GraphQLArgument, isArg: boolean): InputBounds {
  const own = (field.extensions?.[EXTENSION] ?? {}) as InputBounds;
  const named = namedScalar(field.type);
  if (named === 'ID') return { maxLength: INPUT_DEFAULTS.idMaxLength, maxItems: INPUT_DEFAULTS.maxItems, ...own };
  if (named === 'String') {
    const maxLength = isArg && CURSOR_ARGS.has(field.name) ? INPUT_DEFAULTS.cursorMaxLength : INPUT_DEFAULTS.stringMaxLength;
    return { maxLength, maxItems: INPUT_DEFAULTS.maxItems, ...own };
  }
  return { maxItems: INPUT_DEFAULTS.maxItems, ...own };
}

function namedScalar(type: GraphQLInputType): string | null {
  let t: GraphQLInputType = getNullableType(type);
  while (isListType(t)) t = getNullableType(t.ofType);
  return isScalarType(t) ? t.name : null;
}

const preview = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value).replaceAll('\\u0000', '\\\\u0000');

function checkValue(value: unknown, type: GraphQLInputType, bounds: InputBounds, path: string, problems: FieldProblem[]): void {
  if (value == null) return;
  const t = getNullableType(type);
  if (isListType(t)) {
    const items = Array.isArray(value) ? value : [value];
    const maxItems = bounds.maxItems ?? INPUT_DEFAULTS.maxItems;
    if (items.length > maxItems) {
      problems.push({ field: path, message: `at most ${maxItems} items (got ${items.length})` });
      return;
    }
    items.forEach((item, i) => checkValue(item, t.ofType, bounds, `${path}[${i}]`, problems));
    return;
  }
  if (isInputObjectType(t)) {
    if (typeof value !== 'object') return;
    for (const field of Object.values(t.getFields())) {
      checkValue((value as Record<string, unknown>)[field.name], field.type, effectiveBounds(field, false), `${path}.${field.name}`, problems);
    }
    return;
  }
  if (isScalarType(t) && t.name === 'Upload') {
    const name = (value as { name?: unknown }).name;
    if (typeof name !== 'string') return;
    const max = bounds.maxLength ?? INPUT_DEFAULTS.fileNameMaxLength;
    if (name.length > max) problems.push({ field: path, message: `the file name has ${name.length.toLocaleString('en-US')} characters; at most ${max}` });
    else if (name.includes(NUL)) problems.push({ field: path, message: 'the file name must not contain the NUL character (\\u0000)' });
    return;
  }
  if (typeof value === 'string') {
    if (bounds.maxLength != null && value.length > bounds.maxLength) {
      problems.push({ field: path, message: `at most ${bounds.maxLength.toLocaleString('en-US')} characters (got ${value.length.toLocaleString('en-US')})` });
      return;
    }
    if (bounds.minLength != null && value.length < bounds.minLength) {
      problems.push({ field: path, message: `at least ${bounds.minLength} characters` });
      return;
    }
    if (value.includes(NUL)) {
      problems.push({ field: path, message: 'must not contain the NUL character (\\u0000)' });
      return;
    }
    if (isScalarType(t) && t.name === 'ID') checkId(value, bounds, path, problems);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push({ field: path, message: 'must be a finite number' });
    else if (bounds.min != null && value < bounds.min) problems.push({ field: path, message: `must be at least ${bounds.min} (got ${value})` });
    else if (bounds.max != null && value > bounds.max) problems.push({ field: path, message: `must be at most ${bounds.max} (got ${value})` });
  }
}

function checkId(value: string, bounds: InputBounds, path: string, problems: FieldProblem[]) {
  const expected = bounds.idOf == null ? null : ([] as IdPrefix[]).concat(bounds.idOf as IdPrefix | IdPrefix[]);
  const example = expected ? expected.map((p) => `${p}_…`).join(' or ') : 'ds_…, job_…, art_…';
  if (!ID_FORMAT.test(value)) {
    problems.push({ field: path, message: `${preview(value)} is not a BrightRun id (ids look like ${example})` });
    return;
  }
  const prefix = value.slice(0, value.indexOf('_')) as IdPrefix;
  if (expected && !expected.includes(prefix)) {
    const what = expected.map((p) => ID_PREFIXES[p]).join(' or ');
    problems.push({ field: path, message: `${preview(value)} is a ${ID_PREFIXES[prefix]} id; this needs a ${what} id (${example})` });
  }
}

/** Every problem with a field's arguments, each named by its path (e.g. "input.name", "filter.search"). */
export function checkArguments(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const arg of field.args) checkValue(args[arg.name], arg.type, effectiveBounds(arg, true), arg.name, problems);
  return problems;
}

/** How a refusal reads where the field's result has no ValidationError member (queries, subscriptions). */
export function badUserInput(problems: FieldProblem[]): GraphQLError {
  return new GraphQLError(`Invalid argument: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, {
    extensions: { code: 'BAD_USER_INPUT', field: problems[0]!.field, fieldErrors: problems },
  });
}

function returnsValidationError(fieldConfig: PothosOutputFieldConfig<SchemaTypes>): boolean {
  const errors = (fieldConfig.pothosOptions as { errors?: { types?: unknown[] } }).errors;
  return (errors?.types ?? []).some((type) => type === ValidationError || (typeof type === 'function' && type.prototype instanceof ValidationError));
}

function fieldOf(info: GraphQLResolveInfo): GraphQLField<unknown, unknown> {
  return info.parentType.getFields()[info.fieldName]!;
}

/**
 * Checks every argument of every field against its bounds before the resolver runs. Register it
 * after the errors plugin, so a mutation's refusal is its result's `ValidationError` member; a
 * field whose result has none (queries, subscriptions) gets a GraphQL error with code
 * BAD_USER_INPUT and the path of each field.
 */
export class InputBoundsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onInputFieldConfig(fieldConfig: PothosInputFieldConfig<Types>): PothosInputFieldConfig<Types> {
    const bounds = (fieldConfig.pothosOptions as { bounds?: InputBounds }).bounds;
    if (!bounds) return fieldConfig;
    return { ...fieldConfig, extensions: { ...fieldConfig.extensions, [EXTENSION]: bounds } };
  }

  override wrapResolve(resolver: GraphQLFieldResolver<unknown, Types['Context'], object>, fieldConfig: PothosOutputFieldConfig<Types>): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    const config = fieldConfig as PothosOutputFieldConfig<SchemaTypes>;
    if (returnsValidationError(config)) {
      return (parent, args, context, info) => {
        const problems = checkArguments(fieldOf(info), args as Record<string, unknown>);
        if (problems.length > 0) throw new ValidationError(problems);
        return resolver(parent, args, context, info);
      };
    }
    // No ValidationError member to return: one thrown by the resolver (e.g. a service refusing a
    // month) reads as BAD_USER_INPUT too, instead of a masked internal error.
    const asBadInput = (error: unknown) => (error instanceof ValidationError ? badUserInput(error.fieldErrors) : error);
    return (parent, args, context, info) => {
      const problems = checkArguments(fieldOf(info), args as Record<string, unknown>);
      if (problems.length > 0) throw badUserInput(problems);
      try {
        const result = resolver(parent, args, context, info);
        return result instanceof Promise ? result.catch((error: unknown) => { throw asBadInput(error); }) : result;
      } catch (error) {
        throw asBadInput(error);
      }
    };
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (!subscribe || Object.keys(fieldConfig.args).length === 0) return subscribe;
    return (parent, args, context, info) => {
      const problems = checkArguments(fieldOf(info), args as Record<string, unknown>);
      if (problems.length > 0) throw badUserInput(problems);
      return subscribe(parent, args, context, info);
    };
  }
}

SchemaBuilder.registerPlugin('inputBounds', InputBoundsPlugin);
export const inputBoundsPlugin = 'inputBounds' as const;
