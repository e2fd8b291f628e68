// The child side of ../support/children.ts: settings from argv, JSON lines out, 'go' in.
import { createInterface } from 'node:readline';

export function settings<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function send(type: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ type, ...fields })}\n`);
}

/** Resolves when the parent writes 'go'. */
export function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === 'go') {
        lines.close();
        // Nothing more comes on stdin; it must not keep the process alive.
        process.stdin.destroy();
        resolve();
      }
    });
  });
}
