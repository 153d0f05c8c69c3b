import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

/**
 * Prisma's schema engine compiled to WebAssembly (the native binary cannot be downloaded here).
 * Development tooling only: it writes new migrations (`npm run db:migration`) and powers the
 * drift test. The running server never loads it.
 */
export const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../../prisma/schema.prisma');

interface DiffResult {
  exitCode: number;
  stdout: string | null;
}
interface SchemaEngine {
  diff(params: unknown): Promise<DiffResult>;
}

async function loadEngine(factory: SqlMigrationAwareDriverAdapterFactory, schema: string): Promise<SchemaEngine> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@prisma/schema-engine-wasm');
  // The package imports its .wasm as an ES module, which Node 20 only does behind a flag;
  // instantiate it by hand with the package's own JS glue instead.
  const glue = await import(path.join(path.dirname(entry), 'schema_engine_bg.js'));
  const bytes = await readFile(path.join(path.dirname(entry), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue.SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * A Postgres adapter for the schema engine. The engine's introspection reads catalog columns of
 * type "char" (pg_constraint.contype…), which @prisma/adapter-pg 7.10 rejects as unsupported; pg
 * already returns them as strings, so relabelling them as text is exact.
 */
export function introspectionAdapter(connectionString: string): { factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('error', () => undefined); // an idle connection cut by DROP DATABASE … WITH (FORCE)
  const relabel = (result: unknown) => {
    for (const one of Array.isArray(result) ? result : [result]) {
      for (const field of (one as pg.QueryResult | undefined)?.fields ?? []) {
        if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      }
    }
    return result;
  };
  const wrapQuery = <T extends { query: (...args: never[]) => unknown }>(target: T) => {
    const original = target.query.bind(target) as (...args: unknown[]) => unknown;
    (target as { query: unknown }).query = (...args: unknown[]) => {
      const out = original(...args);
      return out instanceof Promise ? out.then(relabel) : out;
    };
  };
  wrapQuery(pool);
  pool.on('connect', (client) => {
    client.on('error', () => undefined); // the engine may still hold it when the database is dropped
    wrapQuery(client);
  });
  return { factory: new PrismaPg(pool), close: () => pool.end() };
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** SQL that turns an empty database into one matching schema.prisma. */
export async function sqlFromEmpty(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const engine = await loadEngine(factory, schema);
  const files = [{ path: 'schema.prisma', content: schema }];
  const result = await engine.diff({
    from: { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files },
    script: true,
    exitCode: null,
    filters: NO_FILTERS,
  });
  return result.stdout ?? '';
}

/**
 * SQL that would bring the database behind `factory` to schema.prisma: empty when they agree.
 * The database must already be migrated; `_prisma_migrations` is ignored by the engine.
 */
export async function driftScript(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const engine = await loadEngine(factory, schema);
  const files = [{ path: 'schema.prisma', content: schema }];
  const result = await engine.diff({
    from: { tag: 'schemaDatasource', files, configDir: path.dirname(SCHEMA_PATH) },
    to: { tag: 'schemaDatamodel', files },
    script: true,
    exitCode: null,
    filters: NO_FILTERS,
  });
  return (result.stdout ?? '').replace(/^-- This is an empty migration\.\s*$/m, '').trim();
}
