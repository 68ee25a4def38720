// Starts a score worker when gtm-bench runs from its TypeScript sources (through tsx): Node 20 applies no
// --import loader hooks to a worker's entry file, so this plain-JS entry registers tsx in the worker's own
// thread, then loads the worker. The compiled build starts score-worker-thread.js directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
