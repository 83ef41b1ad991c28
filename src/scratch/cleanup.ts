/**
 * Cleanups that must run however the process ends: normal return, a thrown error, SIGINT
 * (Ctrl-C) or SIGTERM (a CI job cancelled). Every throwaway resource registers here the
 * moment it exists and unregisters once it is gone.
 */
type Cleanup = () => Promise<void>;

const pending = new Set<Cleanup>();
let handlersInstalled = false;
let exiting = false;

export function registerCleanup(cleanup: Cleanup): () => void {
  installSignalHandlers();
  pending.add(cleanup);
  return () => {
    pending.delete(cleanup);
  };
}

/** Runs every registered cleanup once, concurrently; failures are swallowed (best effort). */
export async function runAllCleanups(): Promise<void> {
  const cleanups = [...pending];
  pending.clear();
  await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
}

export function pendingCleanupCount(): number {
  return pending.size;
}

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (exiting) {
        // A second signal while cleaning up: the user insists.
        process.exit(exitCode);
      }
      exiting = true;
      if (pending.size > 0) process.stderr.write(`\nschemaguard: ${signal} received, removing throwaway databases…\n`);
      const deadline = setTimeout(() => process.exit(exitCode), 15_000);
      deadline.unref();
      void runAllCleanups().finally(() => process.exit(exitCode));
    });
  }
}
