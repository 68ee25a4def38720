/**
 * `{{ name }}` placeholders, the one template syntax of gtm-bench (prompt templates and judge rubrics), so
 * both kinds of file are written and checked the same way. Global: use with matchAll / replace.
 */
export const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
