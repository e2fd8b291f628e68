// The longest stretch of main-thread CPU between two turns of the event loop, measured by a 1 ms
// timer reading process.threadCpuUsage(). Unlike monitorEventLoopDelay (wall clock), it does not
// count the time the OS gave other processes: on a loaded machine the wall-clock stall measures
// the machine, this one measures the code.

export interface LoopStallProbe {
  /** Longest main-thread CPU between two timer ticks so far (ms). */
  maxCpuMs(): number;
  stop(): void;
}

export function loopStallProbe(): LoopStallProbe {
  let max = 0;
  let last = process.threadCpuUsage();
  const timer = setInterval(() => {
    const used = process.threadCpuUsage(last);
    max = Math.max(max, (used.user + used.system) / 1_000);
    last = process.threadCpuUsage();
  }, 1);
  return { maxCpuMs: () => max, stop: () => clearInterval(timer) };
}
