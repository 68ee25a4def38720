import { describeTargetKinds } from '../targets/registry.js';
import '../builtin.js';

export async function targetsCommand(): Promise<void> {
  for (const { kind, description } of describeTargetKinds()) process.stdout.write(`${kind.padEnd(24)} ${description}\n`);
}
