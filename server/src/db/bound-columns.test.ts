import { describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { migrate, readMigrations } from './migrate.js';
import { sqlRunnerForPGlite } from './sql.js';

// Rows written before the API bounded its inputs may be longer than the columns now allow; the
// migration that bounds them must cut them (keeping unique names unique), not fail or lose rows.
describe('the bound_text_columns migration', () => {
  it('cuts oversize values written before it, keeps configuration names unique, then refuses longer ones', async () => {
    const db = await PGlite.create('memory://');
    const sql = sqlRunnerForPGlite(db);
    const all = await readMigrations();
    const index = all.findIndex((m) => m.name.endsWith('_bound_text_columns'));
    expect(index).toBeGreaterThan(0);
    await migrate(sql, all.slice(0, index));

    const huge = 'd'.repeat(2_000_000);
    const longName = 'n'.repeat(5_000);
    await sql.query(`INSERT INTO "Workspace" (id, name) VALUES ('ws_a', 'A')`);
    await sql.query(`INSERT INTO "ApiKey" (id, "workspaceId", name, prefix, "keyHash", scopes) VALUES ('key_a', 'ws_a', $1, 'brk_x', 'h', '{READ}')`, [longName]);
    await sql.query(`INSERT INTO "Dataset" (id, "workspaceId", name, description, "fileName", status, "storagePath", "updatedAt") VALUES ('ds_a', 'ws_a', $1, $2, $1, 'READY', 'x', now()), ('ds_b', 'ws_a', 'short', 'fine', 'f.jsonl', 'READY', 'y', now())`, [longName, huge]);
    for (const id of ['cfg_aaaaaaaaaaaaaaa1', 'cfg_aaaaaaaaaaaaaaa2']) {
      await sql.query(
        `INSERT INTO "TrainingConfiguration" (id, "workspaceId", name, preset, hyperparameters, "baseModel", "gpuType", "cloudType", "maxDurationHours", "updatedAt") VALUES ($1, 'ws_a', $2, 'BALANCED', '{}', 'm', 'g', 'SPOT', 1, now())`,
        [id, `${longName}${id}`],
      );
    }

    await migrate(sql, all);

    const datasets = await sql.query<{ id: string; name: string; description: string; fileName: string }>(`SELECT id, name, description, "fileName" FROM "Dataset" ORDER BY id`);
    expect(datasets.map((d) => [d.id, d.name.length, d.description.length, d.fileName.length])).toEqual([['ds_a', 200, 2000, 200], ['ds_b', 5, 4, 7]]);
    expect(datasets[0]!.description.endsWith('…')).toBe(true);
    const [key] = await sql.query<{ name: string }>(`SELECT name FROM "ApiKey"`);
    expect(key!.name).toHaveLength(200);
    const configurations = await sql.query<{ name: string }>(`SELECT name FROM "TrainingConfiguration" ORDER BY id`);
    expect(configurations.map((c) => c.name.length)).toEqual([199, 199]);
    expect(new Set(configurations.map((c) => c.name)).size).toBe(2);

    await expect(sql.query(`UPDATE "Dataset" SET description = $1 WHERE id = 'ds_b'`, ['x'.repeat(2001)])).rejects.toThrow(/too long/);
    await db.close();
  });
});
