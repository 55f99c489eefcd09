/**
 * Registry of MILP backends (architecture.md §5: one typed registry per extension kind).
 *
 * A registration names a backend and says how to load it. Loading may be asynchronous (a wasm
 * compile, a binary lookup) and happens at most once per process: the first `loadSolverBackend`
 * call starts it and every later call shares the same promise. Solves on the loaded backend are
 * synchronous.
 */
import type { SolverBackend } from './backend';

export interface SolverBackendRegistration {
  readonly name: string;
  readonly description: string;
  readonly load: () => Promise<SolverBackend>;
}

const registrations = new Map<string, SolverBackendRegistration>();
const loaded = new Map<string, Promise<SolverBackend>>();

/** Registers (or replaces) a backend; a replaced backend is loaded afresh on next use. */
export function registerSolverBackend(registration: SolverBackendRegistration): void {
  registrations.set(registration.name, registration);
  loaded.delete(registration.name);
}

export function registeredSolverBackends(): readonly SolverBackendRegistration[] {
  return [...registrations.values()];
}

export function isSolverBackendRegistered(name: string): boolean {
  return registrations.has(name);
}

export function loadSolverBackend(name: string): Promise<SolverBackend> {
  const cached = loaded.get(name);
  if (cached) return cached;
  const registration = registrations.get(name);
  if (!registration) {
    const known = [...registrations.keys()].join(', ') || 'none';
    return Promise.reject(new Error(`unknown solver backend '${name}' (registered: ${known})`));
  }
  const pending = registration.load();
  loaded.set(name, pending);
  // A failed load must not poison the cache: the next call retries.
  pending.catch(() => {
    if (loaded.get(name) === pending) loaded.delete(name);
  });
  return pending;
}
