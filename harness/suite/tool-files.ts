/**
 * Resolves the suite's `tools` list into tool objects with their source: inline entries stay where they
 * are, `{file: path}` entries are read, parsed and validated against the tool definition of the schema,
 * with problems placed inside the tool file (or at the `file` key when the file cannot be read).
 */
import { dirname, relative, resolve, sep } from 'node:path';
import type { Problem } from '../util/errors.js';
import { ajvProblems } from './ajv-problems.js';
import { suiteValidators } from './schema-ajv.js';
import { problemAt, readSource, type SourceFile } from './source.js';
import type { ToolSource } from './tool-checks.js';
import { notMappingOf } from '../util/foreign-file.js';

export interface ResolvedTools {
  tools: ToolSource[];
  problems: Problem[];
  /** Tool files read, by path relative to the suite file's folder, with the sha256 of their bytes. */
  included: Record<string, string>;
}

/** Keys a tool file has; a file with none of them is not a tool file (util/foreign-file.ts). */
const TOOL_KEYS = () => Object.keys(suiteValidators().schema.$defs.tool.properties ?? {});

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function resolveTools(suite: SourceFile, entries: unknown): ResolvedTools {
  const out: ResolvedTools = { tools: [], problems: [], included: {} };
  if (!Array.isArray(entries)) return out;
  entries.forEach((entry, i) => {
    const pointer = `/tools/${i}`;
    if (!isObject(entry)) return;
    if (typeof entry.file !== 'string') {
      if (!('file' in entry)) out.tools.push({ src: suite, pointer, value: entry });
      return;
    }
    const abs = resolve(dirname(suite.path), entry.file);
    let src: SourceFile;
    try {
      src = readSource(abs);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      out.problems.push(problemAt(suite, `${pointer}/file`, `cannot read tool file ${abs}: ${why}`));
      return;
    }
    out.included[relative(dirname(suite.path), abs).split(sep).join('/')] = src.sha256;
    if (src.syntaxProblems.length) {
      out.problems.push(...src.syntaxProblems);
      return;
    }
    const validate = suiteValidators().tool;
    // A path that is not a tool file (a typo naming a key file, a binary): said without quoting any of it.
    const foreign = notMappingOf(src.value, src.bytes, ['name', 'description', 'parameters', 'response_schema', ...TOOL_KEYS()]);
    if (foreign) {
      out.problems.push({ file: src.display, line: 1, column: 1, path: '', message: `not a tool file: ${foreign}` });
      return;
    }
    if (!validate(src.value)) {
      out.problems.push(...ajvProblems(src, validate.errors ?? []));
      if (!isObject(src.value)) return;
    }
    out.tools.push({ src, pointer: '', value: src.value as Record<string, unknown> });
  });
  return out;
}
