/**
 * Command-line overrides applied to a loaded suite: target selection, endpoint, model, seed, concurrency.
 * Pure: returns a new suite, or throws a UserError naming the flag and what was expected.
 */
import { baseUrlsFromFlag, overrideEndpoint } from '../endpoint/model-endpoint.js';
import { isOpenAITarget, type LoadedSuite } from '../suite/types.js';
import { UserError } from '../util/errors.js';

export interface SuiteOverrides {
  targets?: string[];
  baseUrl?: string;
  model?: string;
  seed?: number;
  concurrency?: number;
}

export function applyOverrides(suite: LoadedSuite, o: SuiteOverrides): LoadedSuite {
  let targets = suite.targets;
  if (o.targets?.length) {
    const names = new Set(targets.map((t) => t.name));
    const missing = o.targets.filter((n) => !names.has(n));
    if (missing.length) {
      throw new UserError(`--target ${missing.join(', ')}: no such target in ${suite.file}; its targets are ${[...names].join(', ')}`);
    }
    targets = targets.filter((t) => o.targets!.includes(t.name));
  }
  if (o.baseUrl !== undefined || o.model !== undefined) {
    // Checked before the targets are: a bad URL is named even when no openai target is selected.
    if (o.baseUrl !== undefined) baseUrlsFromFlag(o.baseUrl, '--base-url');
    if (!targets.some(isOpenAITarget)) {
      throw new UserError('--base-url / --model apply to openai targets, and none is selected');
    }
    const flags = { baseUrl: '--base-url', model: '--model' };
    targets = targets.map((t) => (isOpenAITarget(t) ? overrideEndpoint(t, { baseUrl: o.baseUrl, model: o.model }, flags) : t));
  }
  if (o.concurrency !== undefined) targets = targets.map((t) => ({ ...t, concurrency: o.concurrency! }));
  return { ...suite, targets, seed: o.seed ?? suite.seed };
}
