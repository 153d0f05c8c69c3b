import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/**
 * Share of the busy CPU time (idle and GC-free samples excluded) spent in frames under any
 * function whose name is in `names`, from the .cpuprofile files in `dir`. Async continuations
 * of those functions count when V8 shows their frame; work they hand to other microtasks
 * (e.g. inside a database driver) does not, so this is a lower bound.
 */
export async function cpuShare(dir: string, names: string[]): Promise<{ share: number; busyMs: number; matchedMs: number }> {
  let busy = 0;
  let matched = 0;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Profile;
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const under = new Map<number, boolean>();
    const isUnder = (id: number): boolean => {
      const known = under.get(id);
      if (known !== undefined) return known;
      const node = byId.get(id)!;
      const up = parent.get(id);
      const result = names.includes(node.callFrame.functionName) || (up !== undefined && isUnder(up));
      under.set(id, result);
      return result;
    };
    profile.samples.forEach((id, i) => {
      const name = byId.get(id)!.callFrame.functionName;
      if (name === '(idle)' || name === '(program)') return;
      const dt = (profile.timeDeltas[i] ?? 0) / 1000;
      busy += dt;
      if (isUnder(id)) matched += dt;
    });
  }
  return { share: busy > 0 ? matched / busy : 0, busyMs: busy, matchedMs: matched };
}
