export function sourceFiles(root: string): string[];
export function sourceStamp(root: string, files?: string[]): string;
export const STAMP_FILE: string;
export const INSTALLED_PACKAGES: string;
