import { createClient } from '@supabase/supabase-js';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageError, StorageNotFoundError } from './storage.js';
import { describeStorageContract } from './storage.contract.js';
import { SupabaseStorage } from './supabase.js';
import { startSupabaseStorageStandIn, type SupabaseStandIn } from './supabase-standin.js';

const serviceRoleKey = 'test-service-role-key';

describeStorageContract('supabase (stand-in)', async () => {
  const standIn = await startSupabaseStorageStandIn({ serviceRoleKey });
  const storage = new SupabaseStorage({ url: standIn.url, serviceRoleKey, buckets: standIn.buckets });
  return { storage, enforcesUploadMaxBytes: false, close: standIn.stop };
});

describe('SupabaseStorage', () => {
  let standIn: SupabaseStandIn;
  beforeAll(async () => {
    standIn = await startSupabaseStorageStandIn({ serviceRoleKey, uploadUrlExpiresInSeconds: 1800 });
  });
  afterAll(async () => standIn?.stop());

  it('stores each area in its own bucket', async () => {
    const storage = new SupabaseStorage({ url: standIn.url, serviceRoleKey, buckets: standIn.buckets });
    await storage.put('datasets/d1/a.txt', new TextEncoder().encode('abc'));
    const raw = createClient(standIn.url, serviceRoleKey, { auth: { persistSession: false } }).storage;
    const { data } = await raw.from(standIn.buckets.datasets).list('d1');
    expect(data?.map((entry) => entry.name)).toEqual(['a.txt']);
    const { data: elsewhere } = await raw.from(standIn.buckets.exports).list('d1');
    expect(elsewhere).toEqual([]);
  });

  it('reports the real expiry of upload links, which Supabase fixes server-side', async () => {
    const storage = new SupabaseStorage({ url: standIn.url, serviceRoleKey, buckets: standIn.buckets });
    const upload = await storage.signedUploadUrl('exports/e1/x.zip', { expiresInSeconds: 60 });
    const seconds = (upload.expiresAt.getTime() - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(1790);
    expect(seconds).toBeLessThanOrEqual(1800);
    expect(upload.url).toContain('/storage/v1/object/upload/sign/br-exports/e1/x.zip?token=');
  });

  it('explains a wrong service role key', async () => {
    const storage = new SupabaseStorage({ url: standIn.url, serviceRoleKey: 'wrong', buckets: standIn.buckets });
    await expect(storage.list('datasets')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(storage.put('datasets/x.bin', new Uint8Array([1]))).rejects.toThrow(/SUPABASE_SERVICE_ROLE_KEY/);
    // Streamed: the server answers 401 before the body is sent; that answer must come through.
    const body = Readable.from((function* () { for (let i = 0; i < 200; i++) yield Buffer.alloc(65_536); })());
    await expect(storage.put('datasets/y.bin', body)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('explains a missing bucket instead of calling it a missing object', async () => {
    const buckets = { ...standIn.buckets, checkpoints: 'no-such-bucket' };
    const storage = new SupabaseStorage({ url: standIn.url, serviceRoleKey, buckets });
    const error = await storage.read('checkpoints/j1/a.bin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).not.toBeInstanceOf(StorageNotFoundError);
    expect(error).toMatchObject({ code: 'misconfigured' });
  });

  it('reports an unreachable server as a StorageError', async () => {
    const storage = new SupabaseStorage({ url: 'http://127.0.0.1:9', serviceRoleKey, buckets: standIn.buckets });
    await expect(storage.stat('datasets/a.bin')).rejects.toBeInstanceOf(StorageError);
  });
});

describe('Supabase Storage stand-in', () => {
  let standIn: SupabaseStandIn;
  const api = (path: string) => `${standIn.url}/storage/v1/object/${path}`;
  const auth = { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}` };
  beforeAll(async () => {
    standIn = await startSupabaseStorageStandIn({ serviceRoleKey });
  });
  afterAll(async () => standIn?.stop());

  it('requires the service role key on authenticated routes', async () => {
    const response = await fetch(api(`${standIn.buckets.datasets}/a.txt`), { method: 'POST', body: 'x' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ statusCode: '401', error: 'Unauthorized' });
  });

  it('refuses to overwrite without x-upsert, as storage-api does', async () => {
    const raw = createClient(standIn.url, serviceRoleKey, { auth: { persistSession: false } }).storage;
    const bucket = raw.from(standIn.buckets.artifacts);
    expect((await bucket.upload('a/model.bin', Buffer.from('one'))).error).toBeNull();
    const { error } = await bucket.upload('a/model.bin', Buffer.from('two'));
    expect(error).toMatchObject({ status: 400, statusCode: '409', message: 'The resource already exists' });
    expect((await bucket.upload('a/model.bin', Buffer.from('two'), { upsert: true })).error).toBeNull();
    const { data } = await bucket.download('a/model.bin');
    expect(await data?.text()).toBe('two');
  });

  it('answers a missing object the way storage-api does', async () => {
    const response = await fetch(api(`${standIn.buckets.datasets}/nope.txt`), { headers: auth });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ statusCode: '404', error: 'not_found', message: 'Object not found' });
  });

  it('serves ranges on authenticated downloads and 416-codes unsatisfiable ones', async () => {
    const path = `${standIn.buckets.datasets}/r.txt`;
    await fetch(api(path), { method: 'POST', headers: auth, body: 'abcdef' });
    const part = await fetch(api(`authenticated/${path}`), { headers: { ...auth, Range: 'bytes=-2' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('ef');
    const beyond = await fetch(api(path), { headers: { ...auth, Range: 'bytes=6-' } });
    expect(await beyond.json()).toMatchObject({ statusCode: '416' });
  });

  it('rejects tampered and mismatched tokens', async () => {
    const raw = createClient(standIn.url, serviceRoleKey, { auth: { persistSession: false } }).storage;
    const bucket = raw.from(standIn.buckets.datasets);
    await bucket.upload('t/one.txt', Buffer.from('one'));
    await bucket.upload('t/two.txt', Buffer.from('two'));
    const { data } = await bucket.createSignedUrl('t/one.txt', 60);
    const signed = data?.signedUrl ?? '';
    const tampered = await fetch(signed.slice(0, -3) + 'abc');
    expect(await tampered.json()).toMatchObject({ statusCode: '400', error: 'InvalidJWT' });
    const elsewhere = await fetch(signed.replace('t/one.txt', 't/two.txt'));
    expect(await elsewhere.json()).toMatchObject({ error: 'InvalidSignature' });
  });
});
