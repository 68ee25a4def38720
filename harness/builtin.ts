/**
 * The composition root: the one module that puts together everything that ships with gtm-bench (target
 * kinds, agent dialects, optional suite sections; metric families register in scoring/metric-registry.ts). Entry points (the CLI, the run and
 * agent drivers, benches) import it once; the suite loader and the engine only see the registries, so no
 * lower layer imports the folders above it.
 */
import './targets/builtin.js';
import './agents/dialects-builtin.js';
import { agentSection } from './agents/agent-spec.js';
import { serveSection } from './serve/serve-spec.js';
import { curvesSection, gatesSection } from './suite/report-sections.js';
import { registerSection } from './suite/sections.js';
import { judgeSection } from './suite/targets.js';

// Registration order is the order of the built values in the Suite object (judge first, as before).
for (const section of [judgeSection, gatesSection, curvesSection, serveSection, agentSection]) registerSection(section);
