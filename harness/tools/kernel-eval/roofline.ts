/**
 * A plausibility bound on a measured time: no kernel moves its problem's bytes faster than the GPU's DRAM
 * bandwidth. The minimum traffic is every input read once and every output written once; the runner flushes
 * L2 (and disables the persisting carveout) before each timed run, so a run faster than that moved the
 * bytes some other way, or did not do the work. Such a time is `suspicious`: reported, not rewarded by
 * default. After gpu-mode's roofline floor (reference-kernels, an aggregator underflowed by an impossible time).
 */
export interface RooflineCheck {
  /** Bytes the problem must move at least. */
  bytes: number;
  /** The fastest the GPU could move them, in ms. */
  floor_ms: number;
  suspicious: boolean;
}

/**
 * Below this fraction of the floor a time is suspicious. Not 1.0: the peak from the device's clock and bus
 * width is a nominal figure, and data compression on recent GPUs can beat it on very regular data.
 */
export const ROOFLINE_SLACK = 0.5;

export function rooflineCheck(runtimeMs: number, bytes: number, peakGBps: number): RooflineCheck | null {
  if (!(peakGBps > 0) || !(bytes > 0)) return null;
  const floor_ms = (bytes / (peakGBps * 1e9)) * 1e3;
  return { bytes, floor_ms, suspicious: runtimeMs < ROOFLINE_SLACK * floor_ms };
}
