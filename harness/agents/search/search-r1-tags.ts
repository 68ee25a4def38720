/**
 * Dialect `search-r1-tags`: Search-R1's text protocol (Jin et al. 2025, github.com/PeterGriffinJin/Search-R1).
 * The policy writes <search> query </search> to search and <answer> ... </answer> to answer; results come back
 * inside <information>...</information>; anything else gets Search-R1's "my previous action is invalid" nudge.
 *
 * Search-R1 trains on one growing text; over a chat API each observation is a user turn after the assistant's
 * text. The first user turn is Search-R1's own instruction prompt, reproduced word for word (typo included) so a
 * checkpoint trained with it sees its training prompt. The server stops at `</search>`, and vLLM drops a stop
 * string from the text, so a reply that ends inside an unclosed tag with finish_reason `stop` is read as closed
 * and the tag is put back in the conversation.
 * Options: `top_k` (documents per search, default 3 as in Search-R1), `tool` (the suite tool to call, default `search`).
 */
import { UserError } from '../../util/errors.js';
import type { AgentAction, AgentMessage, AgentTask, Dialect, PolicyReply, ToolOutcome } from '../types.js';
import { passagesText } from './format-results.js';
import type { QaPayload } from './qa-tasks.js';
import { SEARCH_REWARD_NAMES, searchReward } from './search-reward.js';

export const SEARCH_R1_PROMPT =
  'Answer the given question. You must conduct reasoning inside <think> and </think> first every time you get new information. ' +
  'After reasoning, if you find you lack some knowledge, you can call a search engine by <search> query </search> and it will return ' +
  'the top searched results between <information> and </information>. You can search as many times as your want. If you find no ' +
  'further external knowledge needed, you can directly provide the answer inside <answer> and </answer>, without detailed ' +
  'illustrations. For example, <answer> Beijing </answer>. Question: ';

export const INVALID_ACTION_NUDGE =
  '\nMy previous action is invalid. If I want to search, I should put the query between <search> and </search>. ' +
  'If I want to give the final answer, I should put the answer between <answer> and </answer>. Let me try again.\n';

export interface TagAction {
  tag: 'search' | 'answer';
  content: string;
  /** The closing tag was cut off by a stop sequence and is restored. */
  restored: boolean;
}

/** The first well-formed <search>/<answer> block; else a trailing unclosed one the stop sequence cut off. */
export function readTagAction(text: string, finishReason: string | undefined): TagAction | { invalid: string } {
  const open = /<(search|answer)>/g;
  let firstUnclosed: { tag: 'search' | 'answer'; start: number } | undefined;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const tag = m[1] as 'search' | 'answer';
    const start = m.index + m[0].length;
    const close = text.indexOf(`</${tag}>`, start);
    if (close !== -1) return { tag, content: text.slice(start, close).trim(), restored: false };
    firstUnclosed ??= { tag, start };
  }
  if (firstUnclosed && finishReason === 'stop') {
    return { tag: firstUnclosed.tag, content: text.slice(firstUnclosed.start).trim(), restored: true };
  }
  if (firstUnclosed) return { invalid: `<${firstUnclosed.tag}> is never closed (finish reason ${finishReason ?? 'unknown'})` };
  return { invalid: 'no <search>...</search> or <answer>...</answer> block' };
}

export function createSearchR1TagsDialect(options: Record<string, unknown>): Dialect<QaPayload> {
  const topK = options.top_k ?? 3;
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > 50)
    throw new UserError(`agent.options.top_k: expected an integer from 1 to 50, found ${JSON.stringify(topK)}`);
  const tool = options.tool ?? 'search';
  if (typeof tool !== 'string') throw new UserError(`agent.options.tool: expected a tool name, found ${JSON.stringify(tool)}`);
  // Remembered per reply object so assistantMessage can restore a cut-off closing tag without re-parsing.
  const restoredTag = new WeakMap<PolicyReply, string>();

  return {
    name: 'search-r1-tags',
    task: 'search',
    rewardNames: SEARCH_REWARD_NAMES,
    stop: ['</search>'],
    initialMessages: (task: AgentTask<QaPayload>): AgentMessage[] => [{ role: 'user', content: `${SEARCH_R1_PROMPT}${task.payload.question}\n` }],
    parseAction(reply: PolicyReply): AgentAction {
      const r = readTagAction(reply.text, reply.finish_reason);
      if ('invalid' in r) return { kind: 'invalid', reason: r.invalid };
      if (r.restored) restoredTag.set(reply, `</${r.tag}>`);
      if (r.content === '') return { kind: 'invalid', reason: `empty <${r.tag}>` };
      if (r.tag === 'answer') return { kind: 'answer', answer: r.content };
      return { kind: 'tool', calls: [{ tool, arguments: { query: r.content, top_k: topK } }] };
    },
    assistantMessage: (reply: PolicyReply): AgentMessage => ({ role: 'assistant', content: reply.text + (restoredTag.get(reply) ?? '') }),
    observationMessages(action: AgentAction, outcomes: readonly ToolOutcome[]): AgentMessage[] {
      if (action.kind === 'invalid') return [{ role: 'user', content: INVALID_ACTION_NUDGE }];
      if (action.kind !== 'tool') return [];
      const info = outcomes.map(passagesText).join('\n');
      return [{ role: 'user', content: `\n\n<information>${info.trim()}</information>\n\n` }];
    },
    reward: (task, end) => searchReward(task.payload, end),
  };
}
