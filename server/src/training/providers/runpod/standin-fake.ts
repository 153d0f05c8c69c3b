/**
 * A workload for the stand-in that runs no process: it records what it was launched with and the
 * signals it got, and exits when told to (or on SIGTERM, or on SIGKILL). For tests of anything that
 * drives pods, where the real trainer would be too slow.
 */
import type { StandInLaunch, StandInLaunchedPod } from './standin-pods.js';

export interface FakeRun {
  pod: StandInLaunchedPod;
  signals: Array<'SIGTERM' | 'SIGKILL'>;
  exited: boolean;
  /** Ends the run as the process would, with this exit code. */
  exit(code: number | null): void;
  log(line: string): void;
}

export interface FakeLaunchOptions {
  /** Exit (code 143) on SIGTERM, as a trainer that checkpoints and quits does. @default true */
  exitOnSigterm?: boolean;
}

export function createFakeLaunch(options: FakeLaunchOptions = {}): { launch: StandInLaunch; runs: FakeRun[] } {
  const runs: FakeRun[] = [];
  const launch: StandInLaunch = (pod, tools) => {
    let resolveExit!: (value: { code: number | null }) => void;
    const exited = new Promise<{ code: number | null }>((resolve) => (resolveExit = resolve));
    const run: FakeRun = {
      pod,
      signals: [],
      exited: false,
      exit(code) {
        if (run.exited) return;
        run.exited = true;
        resolveExit({ code });
      },
      log: (line) => tools.log(line),
    };
    runs.push(run);
    return {
      exited,
      stop(signal) {
        run.signals.push(signal);
        if (signal === 'SIGKILL') run.exit(137);
        else if (options.exitOnSigterm ?? true) run.exit(143);
      },
    };
  };
  return { launch, runs };
}
