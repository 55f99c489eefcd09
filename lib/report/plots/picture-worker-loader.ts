/** Entry of the picture worker in a build: the bundled worker, loaded with its code cache (`code-cache.ts`). */
import { workerData } from 'worker_threads';
import { loadBundle } from '../../common/code-cache';

loadBundle((workerData as { readonly bundle: string }).bundle);
