export function compiledEntry(root: string, outName?: string): { entry: string; reason?: undefined } | { entry?: undefined; reason: string };
