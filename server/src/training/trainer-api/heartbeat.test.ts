import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { createTempDatabase } from '../../db/temp-database.js';
import { writeHeartbeat } from './heartbeat.js';

const postgresUrl = process.env.TEST_DATABASE_URL;
const backends = postgresUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(backends)('writeHeartbeat on %s', (backend) => {
  let db: Database;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (backend === 'postgres') {
      const temp = await createTempDatabase(postgresUrl!, 'heartbeat');
      drop = temp.drop;
      db = await openDatabase({ url: temp.url, dataDir: '' });
    } else db = await openDatabase({ dataDir: '', inMemory: true });
    await db.sql.exec(`INSERT INTO "Workspace" (id, name) VALUES ('ws_a', 'a');`);
    await db.prisma.dataset.create({ data: { id: 'ds_1', workspaceId: 'ws_a', name: 'd', status: 'READY', storagePath: 'datasets/ds_1/source.jsonl' } });
    await db.prisma.trainingJob.create({
      data: { id: 'job_1', workspaceId: 'ws_a', datasetId: 'ds_1', preset: 'BALANCED', hyperparameters: {}, baseModel: 'm', gpuType: 'g', cloudType: 'SPOT', maxDurationHours: 1, estimate: {}, totalEpochs: 1, provider: 'demo', trainerTokenHash: 'h1', status: 'TRAINING', substatus: 'before' },
    });
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it('writes what Prisma would, in UTC whatever the session time zone, and only the fields given', async () => {
    const before = await db.prisma.trainingJob.findUniqueOrThrow({ where: { id: 'job_1' } });
    const at = new Date('2026-11-30T10:11:12.345Z');
    // A session in another zone must not shift the stored instant.
    const result = await db.sql.transaction(async (tx) => {
      await tx.query(`SET LOCAL TIME ZONE 'America/New_York'`);
      return writeHeartbeat(tx, 'job_1', { at, progressed: false });
    });
    expect(result).toEqual({ cancelRequested: false });
    const beat = await db.prisma.trainingJob.findUniqueOrThrow({ where: { id: 'job_1' } });
    expect(beat.lastHeartbeatAt?.toISOString()).toBe(at.toISOString());
    expect(beat.updatedAt.toISOString()).toBe(at.toISOString());
    expect(beat.lastProgressAt).toBeNull();
    expect({ ...beat, lastHeartbeatAt: null, updatedAt: null }).toEqual({ ...before, lastHeartbeatAt: null, updatedAt: null });

    const later = new Date('2026-11-30T10:11:14.001Z');
    await writeHeartbeat(db.sql, 'job_1', { at: later, progressed: true, substatus: 'step 7 of 100', progress: { step: 7, totalSteps: 100, epoch: 0.07 } });
    const moved = await db.prisma.trainingJob.findUniqueOrThrow({ where: { id: 'job_1' } });
    expect(moved).toMatchObject({ substatus: 'step 7 of 100', currentStep: 7, totalSteps: 100, currentEpoch: 0.07, status: 'TRAINING' });
    expect(moved.lastProgressAt?.toISOString()).toBe(later.toISOString());
    expect(moved.lastHeartbeatAt?.toISOString()).toBe(later.toISOString());
  });

  it('says when a cancellation was requested, and fails for a job that is not there', async () => {
    await db.prisma.trainingJob.update({ where: { id: 'job_1' }, data: { cancelRequestedAt: new Date(), cancelReason: 'user' } });
    expect(await writeHeartbeat(db.sql, 'job_1', { at: new Date(), progressed: false })).toEqual({ cancelRequested: true });
    await expect(writeHeartbeat(db.sql, 'job_nope', { at: new Date(), progressed: false })).rejects.toThrow(/job_nope/);
  });
});
