/**
 * What the session generator knows of each reference server beyond its schemas: which tools a session
 * starts with and how often each follows, and how string arguments are filled from the session's state
 * (names created so far, files written so far), so that sessions hang together the way an agent's do:
 * create then search, write then read, move then list. The state here is the generator's intent only;
 * what the server really did is what gets recorded.
 */
import type { Rng } from '../../util/prng.js';
import type { StringFiller } from './schema-args.js';

export interface Profile {
  name: 'memory' | 'filesystem';
  /** Tools a session may start with. */
  first: string[];
  /** Relative weights of the tools for the other steps (tools not listed are not generated). */
  weights: Record<string, number>;
  /** Optional parameters never given. */
  skip: string[];
  /** Most items in a generated array. */
  maxItems: number;
  /** A fresh filler for one session, and the update after each generated call. */
  session(rng: Rng): { fill: (tool: string) => StringFiller; note(tool: string, args: Record<string, unknown>): void };
}

const PEOPLE = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Edsger', 'Radia', 'Donald', 'Frances', 'John'];
const TYPES = ['person', 'project', 'city', 'company'];
const RELATIONS = ['works_on', 'knows', 'lives_in', 'founded', 'mentors'];
const FACTS = ['likes tea', 'writes compilers', 'moved in 2021', 'speaks French', 'prefers email', 'runs on Tuesdays', 'owns a bicycle', 'studied physics'];
const WORDS = ['notes', 'plan', 'todo', 'report', 'draft', 'ideas', 'budget', 'log'];
const DIRS = ['/sandbox', '/sandbox/docs', '/sandbox/work'];
const LINES = ['alpha beta', 'first line', 'remember the milk', 'status: open', 'version 2', 'hello world', 'meeting at noon', 'total 42'];

export const memoryProfile: Profile = {
  name: 'memory',
  first: ['create_entities'],
  weights: {
    create_entities: 2,
    create_relations: 2,
    add_observations: 2,
    search_nodes: 3,
    open_nodes: 3,
    read_graph: 1,
    delete_entities: 1,
    delete_observations: 1,
    delete_relations: 1,
  },
  skip: [],
  maxItems: 2,
  session(rng) {
    const names: string[] = [];
    const observations: string[] = [];
    const entity = () => (names.length && rng.chance(0.8) ? rng.pick(names) : `${rng.pick(PEOPLE)}_${rng.int(1, 99)}`);
    const fill = (): StringFiller => (key) => {
      switch (key) {
        case 'name':
        case 'entityName':
        case 'from':
        case 'to':
        case 'entityNames':
        case 'names':
          return entity();
        case 'entityType':
          return rng.pick(TYPES);
        case 'relationType':
          return rng.pick(RELATIONS);
        case 'query':
          return names.length && rng.chance(0.7) ? rng.pick(names) : rng.pick([...TYPES, ...FACTS.map((f) => f.split(' ')[1])]);
        case 'observations':
          // delete_observations names existing ones; create/add write new ones
          return observations.length && rng.chance(0.5) ? rng.pick(observations) : rng.pick(FACTS);
        default:
          return rng.pick(FACTS);
      }
    };
    return {
      fill,
      note(tool, args) {
        if (tool === 'create_entities') for (const e of (args.entities as any[]) ?? []) if (typeof e?.name === 'string') names.push(e.name);
        for (const e of [...((args.entities as any[]) ?? []), ...((args.observations as any[]) ?? [])]) {
          for (const o of [...(e?.observations ?? []), ...(e?.contents ?? [])]) if (typeof o === 'string') observations.push(o);
        }
      },
    };
  },
};

export const filesystemProfile: Profile = {
  name: 'filesystem',
  first: ['write_file'],
  weights: {
    write_file: 3,
    read_text_file: 3,
    edit_file: 2,
    list_directory: 2,
    directory_tree: 1,
    move_file: 1,
    search_files: 1,
    get_file_info: 1,
    create_directory: 1,
    list_directory_with_sizes: 1,
    read_multiple_files: 1,
  },
  skip: ['head', 'tail', 'excludePatterns', 'dryRun', 'sortBy'],
  // One edit per edit_file: a second edit's oldText would rarely match the file once the first applied.
  maxItems: 1,
  session(rng) {
    const files = new Map<string, string>();
    const dirs = ['/sandbox'];
    const newFile = () => `${rng.pick(dirs)}/${rng.pick(WORDS)}${rng.int(1, 9)}.txt`;
    const existing = () => (files.size && rng.chance(0.85) ? rng.pick([...files.keys()]) : newFile());
    let lastPath = '';
    const fill =
      (tool: string): StringFiller =>
      (key) => {
        switch (key) {
          case 'path':
            if (tool === 'write_file') return (lastPath = files.size && rng.chance(0.3) ? rng.pick([...files.keys()]) : newFile());
            if (['list_directory', 'directory_tree', 'search_files', 'list_directory_with_sizes'].includes(tool)) return rng.pick(dirs);
            if (tool === 'create_directory') return (lastPath = rng.pick(DIRS));
            return (lastPath = existing());
          case 'paths':
            return existing();
          case 'source':
            return (lastPath = existing());
          case 'destination':
            return newFile();
          case 'content':
            return `${rng.pick(LINES)}\n${rng.pick(LINES)}\n`;
          case 'oldText': {
            const text = files.get(lastPath);
            return text && rng.chance(0.8) ? text.split('\n')[0] : rng.pick(LINES);
          }
          case 'newText':
            return rng.pick(LINES);
          case 'pattern':
            return rng.pick(['*.txt', `${rng.pick(WORDS)}*`, '**/*.txt']);
          default:
            return rng.pick(WORDS);
        }
      };
    return {
      fill,
      note(tool, args) {
        if (tool === 'write_file' && typeof args.path === 'string') files.set(args.path, String(args.content));
        if (tool === 'edit_file' && typeof args.path === 'string' && files.has(args.path) && Array.isArray(args.edits)) {
          let text = files.get(args.path)!;
          for (const e of args.edits as { oldText?: unknown; newText?: unknown }[]) {
            if (typeof e?.oldText === 'string' && typeof e.newText === 'string') text = text.replace(e.oldText, e.newText);
          }
          files.set(args.path, text);
        }
        if (tool === 'create_directory' && typeof args.path === 'string' && !dirs.includes(args.path)) dirs.push(args.path);
        if (tool === 'move_file' && typeof args.source === 'string' && files.has(args.source)) {
          files.set(String(args.destination), files.get(args.source)!);
          files.delete(args.source);
        }
      },
    };
  },
};
