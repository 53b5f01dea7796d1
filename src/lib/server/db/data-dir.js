// Where embedded mode keeps its data: DATA_DIR, else ./.data, resolved. Plain JavaScript, as
// lock.js: env.ts reads it for the app, and server.js's early open (early-open.js) from the build.
import { resolve } from 'node:path';

/**
 * @param {string | undefined} raw DATA_DIR as the environment has it
 * @returns {string}
 */
export const dataDirOf = (raw) => resolve(raw?.trim() || './.data');
