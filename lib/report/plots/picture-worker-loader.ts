/**
 * Entry of the picture worker in a build: the bundled worker, loaded with its code cache
 * (`code-cache.ts`), at the worker's low priority from the start (loading is most of its work).
 */
import { workerData } from 'worker_threads';
import { loadBundle } from '../../common/code-cache';
import { lowerThreadPriority } from '../../common/thread-priority';

const data = workerData as { readonly bundle: string; readonly nice: number };
lowerThreadPriority(data.nice);
loadBundle(data.bundle);
