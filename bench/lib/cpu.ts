// CPU placement. On this 2-core VM a loopback round trip costs ~40 µs when client and server share
// a core and ~140 µs when they sit on different cores (each wake-up of an idle vCPU is slow), and an
// unpinned run flips between the two. So the bench pins: clients (Node, the Python worker) on CPU 0,
// Redis servers on CPU 1, like a deployment where Redis does not share the app's CPU.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const CLIENT_CPU = 0;
export const SERVER_CPU = 1;

let available: boolean | undefined;

/** taskset exists and there are two CPUs to spread over. */
export function canPin(): boolean {
  if (available === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      available = availableParallelism() >= 2;
    } catch {
      available = false;
    }
  }
  return available;
}

/** Pins every thread of a process to one CPU (children started later inherit it). */
export function pin(pid: number, cpu: number): void {
  if (!canPin()) return;
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}
