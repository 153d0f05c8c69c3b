import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', dataDir: '/srv/app/.data', provider: 'auto', maxUploadBytes: 500 * 1024 * 1024, importDemoData: true });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.supabase).toBeUndefined();
  });

  it('names every bad variable and its fix at once', () => {
    const found = problems({ PORT: 'eighty', DATABASE_URL: 'mysql://x', BRIGHTRUN_PROVIDER: 'aws', BRIGHTRUN_ADMIN_KEY: 'secret' });
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/PORT must be a whole number from 0 to 65535 \(got "eighty"\)/);
    expect(found[1]).toMatch(/DATABASE_URL must be a postgres/);
    expect(found[2]).toMatch(/BRIGHTRUN_PROVIDER must be one of auto, runpod, local, demo/);
    expect(found[3]).toMatch(/BRIGHTRUN_ADMIN_KEY must look like brk_/);
  });

  it('wants Supabase URL and key together, and RunPod key for the runpod provider', () => {
    expect(problems({ SUPABASE_URL: 'https://x.supabase.co' })[0]).toMatch(/SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY go together/);
    expect(problems({ BRIGHTRUN_PROVIDER: 'runpod' })[0]).toMatch(/needs RUNPOD_API_KEY/);
    const config = loadConfig({ SUPABASE_URL: 'https://x.supabase.co/', SUPABASE_SERVICE_ROLE_KEY: 'k', SUPABASE_BUCKET_DATASETS: 'ds' });
    expect(config.supabase).toEqual({ url: 'https://x.supabase.co', serviceRoleKey: 'k', buckets: { datasets: 'ds', checkpoints: 'checkpoints', artifacts: 'artifacts', exports: 'exports' } });
  });

  it('rejects a bad bucket name, a short secret and a bad demo speed-up', () => {
    const found = problems({ SUPABASE_URL: 'https://x', SUPABASE_SERVICE_ROLE_KEY: 'k', SUPABASE_BUCKET_EXPORTS: 'Bad Name', BRIGHTRUN_SECRET: 'short', BRIGHTRUN_DEMO_SPEEDUP: '0' });
    expect(found.join('\n')).toMatch(/SUPABASE_BUCKET_EXPORTS must be a bucket name/);
    expect(found.join('\n')).toMatch(/BRIGHTRUN_SECRET must be at least 32 characters/);
    expect(found.join('\n')).toMatch(/BRIGHTRUN_DEMO_SPEEDUP must be a number ≥ 1/);
  });
});
