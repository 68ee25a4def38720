#!/usr/bin/env node
// gtm-bench's sources are TypeScript run through tsx (no build step to forget); this shim registers tsx's
// loader and hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
