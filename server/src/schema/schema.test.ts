import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getNamedType, getNullableType, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isUnionType, type GraphQLField, type GraphQLNamedType } from 'graphql';
import { SCHEMA_FILE, printApiSchema } from './printed.js';
import { schema } from './index.js';
import { trainerSchema } from './trainer/index.js';

const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
const objectLike = types.filter((t) => isObjectType(t) || isInterfaceType(t)) as { name: string; getFields(): Record<string, GraphQLField<unknown, unknown>> }[];
const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => t != null);
const fieldsOf = (type: { getFields(): Record<string, GraphQLField<unknown, unknown>> }) => Object.values(type.getFields());
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

describe('schema.graphql', () => {
  it('is the printed Pothos schema (run `npm run schema:print` after changing the schema)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(printApiSchema());
  });

  it('guards every root field with an auth scope', () => {
    const unguarded: string[] = [];
    for (const root of roots) {
      for (const field of fieldsOf(root)) {
        const config = field.extensions?.pothosOptions as { authScopes?: unknown } | undefined;
        if (!config?.authScopes) unguarded.push(`${root.name}.${field.name}`);
      }
    }
    expect(unguarded).toEqual([]);
  });
});

describe('the v1 rules', () => {
  const errorInterface = schema.getType('Error');

  it('every mutation takes one non-null `input` and returns <Name>Result: <Name>Success plus typed errors', () => {
    const broken: string[] = [];
    for (const field of fieldsOf(schema.getMutationType()!)) {
      const [arg, ...more] = field.args;
      if (!arg || more.length > 0 || arg.name !== 'input' || !isNonNullType(arg.type) || !isInputObjectType(arg.type.ofType)) broken.push(`${field.name}: arguments`);
      const result = getNullableType(field.type);
      if (!isNonNullType(field.type) || !isUnionType(result) || result.name !== `${capitalize(field.name)}Result`) {
        broken.push(`${field.name}: returns ${String(field.type)}`);
        continue;
      }
      const members = result.getTypes();
      if (!members.some((m) => m.name === `${capitalize(field.name)}Success`)) broken.push(`${field.name}: no ${capitalize(field.name)}Success`);
      if (!members.some((m) => m.getInterfaces().some((i) => i === errorInterface))) broken.push(`${field.name}: no Error member`);
    }
    expect(broken).toEqual([]);
  });

  it('every success payload names its noun (no `data` field)', () => {
    const payloads = objectLike.filter((t) => t.name.endsWith('Success'));
    expect(payloads.length).toBeGreaterThan(10);
    expect(payloads.filter((t) => 'data' in t.getFields()).map((t) => t.name)).toEqual([]);
  });

  it('every error type implements Error with an ErrorCode enum', () => {
    const code = (errorInterface as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields().code!;
    expect(String(code.type)).toBe('ErrorCode!');
    const errors = objectLike.filter((t) => t.name.endsWith('Error') && t.name !== 'FieldError' && t !== errorInterface);
    expect(errors.filter((t) => !(isObjectType(t) && t.getInterfaces().includes(errorInterface as never))).map((t) => t.name)).toEqual([]);
  });

  it('uses enums, not strings, for closed sets', () => {
    // Field names that always hold a closed set, plus the fields #8 lists by name.
    const closedNames = new Set(['status', 'kind', 'level', 'role', 'code', 'source', 'method', 'stage', 'scopes', 'encoding', 'quantization', 'defaultQuantization', 'priceSource', 'throughputSource', 'key', 'group', 'split', 'provider', 'cloudType', 'preset']);
    // Keys the dataset file defines (persona, arc and topic keys) are an open set.
    const allowed = new Set(['KeyCount.key']);
    const strings: string[] = [];
    for (const type of [...objectLike, ...(types.filter(isInputObjectType) as never[])] as { name: string; getFields(): Record<string, { name: string; type: unknown }> }[]) {
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type as never) as unknown as GraphQLNamedType;
        if (closedNames.has(field.name) && named.name === 'String' && !allowed.has(`${type.name}.${field.name}`)) strings.push(`${type.name}.${field.name}`);
      }
    }
    expect(strings).toEqual([]);
    for (const [type, field] of [['JobEvent', 'kind'], ['ReadinessCheck', 'key'], ['MetricSeries', 'method'], ['JobFinishedError', 'status'], ['TrainingFieldRange', 'kind'], ['ConversationTurn', 'role'], ['Viewer', 'scopes'], ['Dataset', 'encoding'], ['Hyperparameters', 'quantization'], ['CostEstimate', 'priceSource'], ['EstimateStageHours', 'stage']] as const) {
      expect(isEnumType(getNamedType((schema.getType(type) as never as { getFields(): Record<string, { type: never }> }).getFields()[field]!.type)), `${type}.${field}`).toBe(true);
    }
    // One quantization vocabulary for input and output.
    expect(String((schema.getType('TrainingOverridesInput') as never as { getFields(): Record<string, { type: unknown }> }).getFields().quantization!.type)).toBe('Quantization');
  });

  it('keeps trainer operations out of the public schema', () => {
    const trainerFields = roots.flatMap((root) => fieldsOf(root).filter((f) => f.name.startsWith('trainer')).map((f) => `${root.name}.${f.name}`));
    expect(trainerFields).toEqual([]);
    expect(types.filter((t) => t.name.startsWith('Trainer') && !t.name.startsWith('Training')).map((t) => t.name)).toEqual([]);
    const trainerRoots = [trainerSchema.getQueryType()!, trainerSchema.getMutationType()!];
    expect(trainerRoots.flatMap((root) => Object.keys(root.getFields())).sort()).toEqual(
      ['trainerCommitCheckpoint', 'trainerComplete', 'trainerFail', 'trainerJob', 'trainerReport', 'trainerRequestArtifactUpload', 'trainerRequestCheckpointUpload'],
    );
  });

  it('every connection has totalCount and pageInfo, a readable name, and its list field states the page limit', () => {
    const connections = objectLike.filter((t) => t.name.endsWith('Connection'));
    expect(connections.map((c) => c.name).sort()).toEqual(
      ['ApiKeyConnection', 'CheckpointConnection', 'ConversationConnection', 'DatasetConnection', 'ModelArtifactConnection', 'NotificationConnection', 'TrainingConfigurationConnection', 'TrainingJobConnection'],
    );
    for (const connection of connections) {
      const fields = connection.getFields();
      expect(String(fields.totalCount?.type), connection.name).toBe('Int!');
      expect(String(fields.pageInfo?.type), connection.name).toBe('PageInfo!');
    }
    const listFields = objectLike.flatMap((type) => fieldsOf(type).filter((f) => getNamedType(f.type).name.endsWith('Connection')).map((f) => ({ name: `${type.name}.${f.name}`, description: f.description ?? '' })));
    expect(listFields.filter((f) => !/Pages of up to \d+/.test(f.description)).map((f) => f.name)).toEqual([]);
    // No plain lists of rows that can grow without bound: those are connections.
    const rowTypes = new Set(connections.map((c) => c.name.replace(/Connection$/, '')));
    const plainLists = roots.flatMap((root) => fieldsOf(root).filter((f) => isListType(getNullableType(f.type)) && rowTypes.has(getNamedType(f.type).name) && root !== schema.getSubscriptionType()).map((f) => f.name));
    expect(plainLists).toEqual([]);
  });

  it('exposes Node and node(id:) for every type with a global id', () => {
    expect(isInterfaceType(schema.getType('Node'))).toBe(true);
    expect(String(schema.getQueryType()!.getFields().node!.type)).toBe('Node');
    const withId = objectLike.filter((t) => isObjectType(t) && ['Dataset', 'TrainingJob', 'ModelArtifact', 'TrainingConfiguration', 'Notification', 'ApiKey', 'Checkpoint', 'JobAttempt', 'Workspace'].includes(t.name));
    expect(withId.filter((t) => !(t as never as { getInterfaces(): { name: string }[] }).getInterfaces().some((i) => i.name === 'Node')).map((t) => t.name)).toEqual([]);
  });

  it('keeps money in Usd-named Floats and byte sizes and token totals in SafeInt', () => {
    const wrong: string[] = [];
    for (const type of objectLike) {
      for (const field of fieldsOf(type)) {
        const named = getNamedType(field.type).name;
        if (/price|spend|cost|budget/i.test(field.name) && !/Share$/.test(field.name) && ['Float', 'Int'].includes(named) && !field.name.endsWith('Usd')) wrong.push(`${type.name}.${field.name}`);
        if (field.name.endsWith('Usd') && named !== 'Float') wrong.push(`${type.name}.${field.name}: ${named}`);
        if (/sizeBytes$|^(total|target)Tokens$|^parameterCount$/.test(field.name) && named !== 'SafeInt') wrong.push(`${type.name}.${field.name}: ${named}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('layering', () => {
  const SRC = path.resolve(import.meta.dirname, '..');
  const sources = async () =>
    (await readdir(SRC, { recursive: true }))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('generated'))
      .map((f) => ({ file: f, text: readFile(path.join(SRC, f), 'utf8') }));

  it('domain code never imports the GraphQL layer (only the transport does)', async () => {
    const offenders: string[] = [];
    for (const { file, text } of await sources()) {
      if (file.startsWith('schema/') || file.startsWith('http/')) continue;
      if (/from '(\.\.?\/)+schema\//.test(await text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it('resolvers call services, never Prisma or SQL directly', async () => {
    const offenders: string[] = [];
    for (const { file, text } of await sources()) {
      if (file.startsWith('schema/') && /\.db\.(prisma|sql)\b/.test(await text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
