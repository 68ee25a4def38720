// The loopback vLLM stand-in moved to dev/stand-ins/vllm-stand-in.ts (benches import it too, and a bench must
// not reach into test/). This re-export only keeps test files written on branches before the move compiling;
// import from '../dev/stand-ins/vllm-stand-in.js' in new code. Delete once nothing imports this path.
export * from '../../dev/stand-ins/vllm-stand-in.js';
