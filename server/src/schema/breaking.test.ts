import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CHANGELOG_FILE, acknowledgedBreaking, checkBreakingChanges } from './breaking.js';
import { printApiSchema } from './printed.js';

describe('breaking-change guard', () => {
  it('schema.graphql breaks nothing of the last released contract unless CHANGELOG.md says so', async () => {
    const result = await checkBreakingChanges(printApiSchema(), await readFile(CHANGELOG_FILE, 'utf8'));
    const problems = result.unacknowledged.map((c) => `${c.path}: ${c.message}`);
    expect(
      problems,
      `Breaking changes against v${result.released}. Keep the field (deprecate it instead), or name each path in CHANGELOG.md under "## Unreleased" → "### Breaking" (e.g. \`Query.datasets\`) with what clients must do.`,
    ).toEqual([]);
  });

  it('catches a removed field and an argument made required, and accepts them once acknowledged', async () => {
    const current = printApiSchema();
    const broken = current
      .replace(/^  viewer: Viewer!\n/m, '')
      .replace('trainingJob(id: ID!): TrainingJob', 'trainingJob(id: ID!, workspace: String!): TrainingJob');
    expect(broken).not.toBe(current);
    const silent = await checkBreakingChanges(broken, '# Changelog\n\n## Unreleased\n\n## 1.0.0\n');
    expect(silent.unacknowledged.map((c) => c.path).sort()).toEqual(['Query.trainingJob.workspace', 'Query.viewer']);
    const noted = await checkBreakingChanges(broken, '# Changelog\n\n## Unreleased\n\n### Breaking\n- `Query.viewer` removed.\n- `Query.trainingJob.workspace` required.\n\n### Added\n\n## 1.0.0\n');
    expect(noted.unacknowledged).toEqual([]);
    expect(noted.breaking).toHaveLength(2);
    // Additions never need a note.
    // (Counted against the current schema's own additions since the release.)
    const baseline = await checkBreakingChanges(current, '');
    const added = await checkBreakingChanges(current.replace('type Query {', 'type Query {\n  brandNew: Int'), '');
    expect([added.breaking.length, added.other.length]).toEqual([0, baseline.other.length + 1]);
  });

  it('reads only the Unreleased section\'s Breaking list', () => {
    const changelog = '# Changelog\n\n## Unreleased\n\n### Added\n- `Query.a`\n\n### Breaking\n- `Query.b` gone\n\n## 1.0.0\n\n### Breaking\n- `Query.c`\n';
    const section = acknowledgedBreaking(changelog);
    expect(section).toContain('`Query.b`');
    expect(section).not.toContain('`Query.a`');
    expect(section).not.toContain('`Query.c`');
  });
});
