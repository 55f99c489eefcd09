/**
 * Lowers the calling thread's priority to `nice` (Linux lets a thread lower its own; elsewhere, or
 * without /proc, the thread keeps the process's priority). For background threads that must not slow
 * the run's own threads down.
 */
import * as fs from 'fs';
import * as os from 'os';

export function lowerThreadPriority(nice: number): void {
  if (!nice) return;
  try {
    os.setPriority(Number(fs.readlinkSync('/proc/thread-self').split('/').pop()), nice);
  } catch {
    // not Linux, or no /proc: the default priority
  }
}
