/** Registers every dialect that ships with gtm-bench. A new task adds one line here. */
import { registerDialect } from './dialects.js';
import { KERNEL_REWARD_KINDS } from './kernel/kernel-reward.js';
import { SEARCH_REWARD_KINDS } from './search/search-reward.js';
import { createKernelV1Dialect } from './kernel/kernel-v1.js';
import { loadKernelTasks } from './kernel/kernel-tasks.js';
import { createOpenAIToolsDialect } from './search/openai-tools.js';
import { createMcpToolsDialect } from './mcp/mcp-tools.js';
import { loadQaTasks } from './search/qa-tasks.js';
import { createSearchR1TagsDialect } from './search/search-r1-tags.js';

const searchOptions = { top_k: 'documents per search when the policy does not say (default 3)' };

registerDialect('search-r1-tags', {
  task: 'search',
  description: "Search-R1's <search>/<information>/<answer> text protocol over a chat API",
  options: { ...searchOptions, tool: 'the suite tool a <search> calls (default search)' },
  create: createSearchR1TagsDialect,
  rewardKinds: SEARCH_REWARD_KINDS,
  loadTasks: loadQaTasks,
});
registerDialect('openai-tools', {
  task: 'search',
  description: "OpenAI function calling with the suite's tools; a reply without a tool call is the answer",
  options: { ...searchOptions, system: 'the system prompt' },
  create: createOpenAIToolsDialect,
  rewardKinds: SEARCH_REWARD_KINDS,
  loadTasks: loadQaTasks,
});
registerDialect('kernel-v1', {
  task: 'kernel',
  description: 'CUDA kernel optimisation: the policy writes a kernel in a ```cuda block, the kernel_eval tool answers, the policy refines',
  options: { system: 'the system prompt' },
  create: createKernelV1Dialect,
  rewardKinds: KERNEL_REWARD_KINDS,
  loadTasks: loadKernelTasks,
});
registerDialect('mcp-tools', {
  task: 'session',
  description: "an MCP server's tools through OpenAI function calling, one tool session per episode; a reply without a tool call is the answer",
  options: { system: 'the system prompt' },
  create: createMcpToolsDialect,
  rewardKinds: SEARCH_REWARD_KINDS,
  loadTasks: loadQaTasks,
});
