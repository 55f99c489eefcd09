/**
 * Where the reference's golden data and example inputs live: `../shared/reference` next to the repository
 * (the layout of a developer machine and of CI), or `$STREAM_REFERENCE_DIR`.
 */
import * as path from 'path';

export const REFERENCE_DIR = process.env.STREAM_REFERENCE_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'reference');
export const STREAM_INPUTS = path.join(REFERENCE_DIR, 'stream-inputs');
export const GOLDEN_DIR = path.join(REFERENCE_DIR, 'golden');
