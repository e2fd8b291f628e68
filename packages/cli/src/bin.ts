#!/usr/bin/env node
// The `deja` executable.
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // Only `clear` reads stdin; touching process.stdin earlier would open it for every command.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
