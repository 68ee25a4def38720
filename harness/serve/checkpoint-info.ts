/**
 * What identifies a checkpoint on disk, for the manifest and the response cache: the sha256 of its
 * config.json and of its weights index. The index is `model.safetensors.index.json` when the checkpoint is
 * sharded; otherwise the list of its *.safetensors files with their sizes stands in for it (hashing
 * gigabytes of weights on every run would cost minutes; a retrained checkpoint changes its sizes or its
 * index). A model id that is not a local folder (a Hugging Face repo id) is recorded as such, unhashed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256 } from '../util/hash.js';
import type { CheckpointInfo } from '../records/manifest-serving.js';

const INDEX_FILE = 'model.safetensors.index.json';

export function checkpointInfo(path: string): CheckpointInfo {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    return {
      path,
      local: false,
      config_sha256: null,
      weights_index: null,
      fingerprint: null,
      note: 'not a local folder: passed to vLLM as a model id, not hashed',
    };
  }
  const notes: string[] = [];
  const configPath = join(path, 'config.json');
  const config_sha256 = existsSync(configPath) ? sha256(readFileSync(configPath)) : null;
  if (!config_sha256) notes.push('no config.json');
  let weights_index: CheckpointInfo['weights_index'] = null;
  const indexPath = join(path, INDEX_FILE);
  if (existsSync(indexPath)) {
    weights_index = { kind: 'safetensors-index', file: INDEX_FILE, sha256: sha256(readFileSync(indexPath)) };
  } else {
    const files = readdirSync(path)
      .filter((f) => f.endsWith('.safetensors'))
      .sort()
      .map((name) => ({ name, bytes: statSync(join(path, name)).size }));
    if (files.length) weights_index = { kind: 'safetensors-files', files, sha256: sha256(canonicalJson(files)) };
    else notes.push('no safetensors weights');
  }
  const fingerprint = sha256(canonicalJson({ config: config_sha256, weights: weights_index?.sha256 ?? null }));
  return { path, local: true, config_sha256, weights_index, fingerprint, ...(notes.length ? { note: notes.join('; ') } : {}) };
}
