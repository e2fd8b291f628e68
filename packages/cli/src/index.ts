// @deja/cli: the `deja` command (bin.ts), and the pieces other tools reuse.
export { COMMANDS, runCli } from './cli.js';
export type { Command, Io, OutputStream } from './command.js';
export type { ExitCode } from './errors.js';
export { DejaCliError, DejaUsageError, EXIT_CODES } from './errors.js';
export type { CurveSvgOptions } from './tune/curve-svg.js';
export { renderCurveSvg } from './tune/curve-svg.js';
export { parsePairs } from './tune/pairs.js';
export type { MeasuredHalf, ThresholdFigures, TuneInput, TuneResult } from './tune/tune-threshold.js';
export { tuneThreshold } from './tune/tune-threshold.js';
