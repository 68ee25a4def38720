/**
 * Plan-time refusal of prompts past the suite's limits.prompt_bytes: every (target, call) of the plan whose
 * target renders a prompt is measured (Target.promptBytes, which never builds the text), before any completion
 * is sent and before the run folder is written. Why at plan time: YAML aliases can turn a 164 KB tool file into
 * 120 MB prompts, and rendering them (then storing them in each record) cost 1.9 GB of memory and 360 MB of
 * records for 3 calls; the fix is to the suite, so the run stops with exit 2 and says which tool and call.
 */
import type { Plan } from '../plan/plan.js';
import type { ToolSpec } from '../suite/types.js';
import type { Target } from '../targets/types.js';
import { UserError } from '../util/errors.js';

const fmt = (n: number) => n.toLocaleString('en-US');

export function checkPromptSizes(plan: Plan, targets: ReadonlyMap<string, Target>, tools: readonly ToolSpec[], limit: number, suiteFile: string): void {
  const byName = new Map(tools.map((t) => [t.name, t]));
  // Repeats and seeds render the same prompt: measure each (call, target) of the plan once.
  const seen = new Uint8Array(plan.calls.length * plan.targets.length);
  const over: string[] = [];
  for (let i = 0; i < plan.length; i++) {
    const pair = plan.callIndex(i) * plan.targets.length + plan.targetIndex(i);
    if (seen[pair]) continue;
    seen[pair] = 1;
    const name = plan.target(i);
    const call = plan.call(i);
    const target = targets.get(name);
    const tool = byName.get(call.tool);
    if (!target?.promptBytes || !tool) continue;
    const bytes = target.promptBytes(tool, call.arguments, limit);
    if (bytes <= limit) continue;
    const { dataset, line } = call.source;
    over.push(`target ${name}, tool ${tool.name}, call ${call.id} (dataset ${dataset} line ${line}): more than ${fmt(limit)} bytes`);
  }
  if (!over.length) return;
  const shown = over.slice(0, 5);
  const more = over.length > shown.length ? [`... and ${fmt(over.length - shown.length)} more calls`] : [];
  throw new UserError(
    [
      `${suiteFile}: ${fmt(over.length)} rendered prompt${over.length === 1 ? ' is' : 's are'} larger than limits.prompt_bytes (${fmt(limit)} bytes); nothing was called and no run folder was written:`,
      ...shown.map((s) => `  ${s}`),
      ...more.map((s) => `  ${s}`),
      "Shorten the tool's spec or the call's arguments (YAML aliases multiply what they point to), or raise limits.prompt_bytes.",
    ].join('\n'),
  );
}
