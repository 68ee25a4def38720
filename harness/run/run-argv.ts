/**
 * A run's command line without the flags that only say where it writes (--out, --resume and their values):
 * what is left defines the plan. The resume command printed after Ctrl-C and the --resume plan check both
 * compare or rebuild command lines through this.
 */
const FOLDER_FLAGS = ['--out', '--resume'];

export function withoutFolderFlags(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (FOLDER_FLAGS.includes(a)) {
      i++;
      continue;
    }
    if (FOLDER_FLAGS.some((f) => a.startsWith(f + '='))) continue;
    kept.push(a);
  }
  return kept;
}
