import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';

// The breaking-change guard: schema.graphql against the last released contract
// (schema/released/v<version>.graphql). A breaking change fails the suite unless CHANGELOG.md
// names it under "## Unreleased" → "### Breaking".

export const RELEASED_DIR = fileURLToPath(new URL('../../../schema/released/', import.meta.url));
export const CHANGELOG_FILE = fileURLToPath(new URL('../../../CHANGELOG.md', import.meta.url));

const semver = (name: string) => /^v(\d+)\.(\d+)\.(\d+)\.graphql$/.exec(name)?.slice(1).map(Number) ?? null;

/** The newest released contract: its version and SDL. */
export async function lastReleased(): Promise<{ version: string; sdl: string }> {
  const versions = (await readdir(RELEASED_DIR)).filter((f) => semver(f)).sort((a, b) => {
    const [x, y] = [semver(a)!, semver(b)!];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no released schema in ${RELEASED_DIR}`);
  return { version: newest.slice(1, -'.graphql'.length), sdl: await readFile(`${RELEASED_DIR}${newest}`, 'utf8') };
}

/** The lines of CHANGELOG.md's "## Unreleased" → "### Breaking" section. */
export function acknowledgedBreaking(changelog: string): string {
  const unreleased = /^## Unreleased\b[^\n]*\n([\s\S]*?)(?=^## )/m.exec(`${changelog}\n## `)?.[1] ?? '';
  return /^### Breaking\b[^\n]*\n([\s\S]*?)(?=^### )/m.exec(`${unreleased}\n### `)?.[1] ?? '';
}

export interface GuardResult {
  released: string;
  breaking: Change[];
  unacknowledged: Change[];
  other: Change[];
}

/** Compares the current contract with the last released one; a breaking change counts as acknowledged when its path is named in the Breaking section. */
export async function checkBreakingChanges(currentSdl: string, changelog: string): Promise<GuardResult> {
  const released = await lastReleased();
  const changes = await diff(buildSchema(released.sdl), buildSchema(currentSdl));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const acknowledged = acknowledgedBreaking(changelog);
  return {
    released: released.version,
    breaking,
    unacknowledged: breaking.filter((c) => !c.path || !acknowledged.includes(`\`${c.path}\``)),
    other: changes.filter((c) => c.criticality.level !== CriticalityLevel.Breaking),
  };
}
