import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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
  it("launches the trainer image tagged with the project's own version, never latest; BRIGHTRUN_TRAINER_IMAGE overrides", () => {
    const root = new URL('../../../', import.meta.url);
    const version = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(loadConfig({}, '/srv').runpod.trainerImage).toBe(`ghcr.io/brightrun/lora-trainer:${version}`);
    expect(loadConfig({ BRIGHTRUN_TRAINER_IMAGE: 'registry.example/trainer:dev' }, '/srv').runpod.trainerImage).toBe('registry.example/trainer:dev');
    // The release workflow publishes exactly that tag, read from the same package.json.
    const workflow = readFileSync(new URL('.github/workflows/trainer-image.yml', root), 'utf8');
    expect(workflow).toContain("require('./package.json').version");
    expect(workflow).toMatch(/tags: ghcr\.io\/brightrun\/lora-trainer:\$\{\{ steps\.version\.outputs\.version \}\}/);
    expect(workflow).toContain('file: trainer/Dockerfile');
    expect(workflow).not.toMatch(/:latest/);
  });

  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', dataDir: '/srv/app/.data', provider: 'auto', maxUploadBytes: 500 * 1024 * 1024, importDemoData: true });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.supabase).toBeUndefined();
  });

  it('reads every request limit from its variable, defaults to LIMIT_DEFAULTS, and refuses bad values by name', () => {
    expect(loadConfig({}, '/srv').limits).toEqual({
      maxBodyBytes: 1024 * 1024, maxTokens: 5_000, maxDepth: 10, maxAliases: 30, maxBreadth: 100, maxCost: 50_000,
      maxResponseBytes: 8 * 1024 * 1024, maxSubscriptionsPerSocket: 50, rateLimit: { perKey: 1_200, perIp: 2_400, perTrainerToken: 600, windowMs: 60_000 }, trustProxy: false,
    });
    const set = loadConfig({ BRIGHTRUN_MAX_BODY_KB: '64', BRIGHTRUN_MAX_QUERY_COST: '1000', BRIGHTRUN_RATE_LIMIT_PER_KEY: '0', BRIGHTRUN_RATE_LIMIT_WINDOW_S: '10', BRIGHTRUN_TRUST_PROXY: 'on' }, '/srv').limits;
    expect(set).toMatchObject({ maxBodyBytes: 64 * 1024, maxCost: 1000, rateLimit: { perKey: 0, windowMs: 10_000 }, trustProxy: true });
    const found = problems({ BRIGHTRUN_MAX_QUERY_DEPTH: 'deep', BRIGHTRUN_MAX_RESPONSE_MB: '0', BRIGHTRUN_TRUST_PROXY: 'yes' });
    expect(found).toEqual([
      expect.stringMatching(/BRIGHTRUN_TRUST_PROXY must be "on" or "off"/),
      expect.stringMatching(/BRIGHTRUN_MAX_QUERY_DEPTH must be a whole number from 2 to 100 \(got "deep"\); unset it to use 10/),
      expect.stringMatching(/BRIGHTRUN_MAX_RESPONSE_MB must be a whole number from 1 to 1024/),
    ]);
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

  it('takes a demo pace from 0.1 to 10 (default 1) and names the bounds otherwise', () => {
    expect(loadConfig({}).demoPace).toBe(1);
    expect(loadConfig({ BRIGHTRUN_DEMO_PACE: '1.5' }).demoPace).toBe(1.5);
    for (const bad of ['0', '0.05', '11', 'fast', 'Infinity']) {
      expect(problems({ BRIGHTRUN_DEMO_PACE: bad }).join('\n')).toMatch(new RegExp(`BRIGHTRUN_DEMO_PACE must be a number from 0\\.1 to 10.*got "${bad}"`));
    }
  });
});
