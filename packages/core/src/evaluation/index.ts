// @deja/core/evaluation: one honest way to measure semantic hits on labelled pairs, shared by
// `deja tune`, the bench and the tests.
export type { EvaluatedQuery, EvaluatePairsOptions, Evaluation } from './evaluate-pairs.js';
export { evaluatePairs } from './evaluate-pairs.js';
export type { EvaluationPlan, LabelledPair, PlannedQuery } from './labelled-pairs.js';
export { planEvaluation } from './labelled-pairs.js';
export type { ParaphrasePair } from './paraphrase-pairs.js';
export { paraphrasesToLabelledPairs } from './paraphrase-pairs.js';
export type { PrecisionPoint, QueryOutcome } from './precision-curve.js';
export {
  EVALUATION_THRESHOLDS,
  highestLowerBound,
  lowestThresholdMeeting,
  pointAt,
  precisionCurve,
} from './precision-curve.js';
export type { SplitPairs } from './split-pairs.js';
export { splitPairs } from './split-pairs.js';
export { wilsonLowerBound, Z_95 } from './wilson.js';
