// Which HYBRID_POLICY an HNSW KNN asks for, from the share of the index its bucket holds.
//
// RediSearch runs a filtered HNSW query one of two ways: ADHOC_BF (walk the filter's entries and
// score each: cheap when the bucket is small) or BATCHES (walk the graph, keep the bucket's entries,
// ask again if too few: cheap when the bucket is a large part of the graph). Its automatic choice
// guesses from the filter's size and goes wrong for large buckets of small and medium indexes; it
// is right for small buckets, where BATCHES is worst (30 of 50k: 12.8 ms against 80 µs).
// So deja asks for BATCHES only when it knows the bucket is large; otherwise, or when it does not
// know, RediSearch chooses.
//
// The threshold, measured by bench/lib/hybrid-crossover.ts: one index of deja's graph (M 64,
// EF_CONSTRUCTION 400, EF_RUNTIME 20) grown to 10k, 50k and 100k entries holding buckets of fixed
// shares; KNN 3, 150 queries each, p50 µs automatic -> BATCHES; the top hit was the bucket's exact
// nearest in every case but one (realistic 100k at 25%: 0.993 with both); a 2-core machine under
// load from other work, so read the ratios, not the microseconds.
//   share    realistic (clustered MiniLM)            uniform random
//            10k        50k        100k              10k         50k          100k
//   50%      274 -> 97  105 -> 97  107 -> 96         311 -> 233  389 -> 400   470 -> 462
//   25%      156 -> 92  106 -> 93  118 -> 111        198 -> 234  431 -> 430   504 -> 468
//   10%       84 -> 90  254 -> 107 514 -> 135        122 -> 257  277 -> 629   598 -> 672
//    5%       61 -> 125 149 -> 132 257 -> 151        100 -> 375  157 -> 1020  284 -> 1174
//    2%       47 -> 166  84 -> 270 134 -> 235        84 -> 572   88 -> 2092  144 -> 2689
//    0.2%     36 -> 769  87 -> 1441 48 -> 2533       63 -> 1390  41 -> 8999   52 -> 18092
// And the whole index in one bucket (10k uniform, the figures): 470 -> 183-220.
// From 25% up BATCHES is as fast or faster everywhere but uniform 10k at 25% (198 -> 234); at 10%
// it wins 2-4x on clustered vectors of 50k-100k but loses 2x on uniform ones; below 10% it loses
// everywhere, up to 350x. 25% is the share where it never costs much and often saves half.
import { type IndexSpec, VECTOR_ALGORITHM } from './create-index.js';

export const HYBRID_POLICY = { BATCHES: 'BATCHES' } as const;
export type HybridPolicy = (typeof HYBRID_POLICY)[keyof typeof HYBRID_POLICY];

/** From this share of the index's entries on, a bucket is searched with BATCHES. */
export const BATCHES_FROM_SHARE = 0.25;

export interface BucketSize {
  /** Entries in the bucket (FT.SEARCH … LIMIT 0 0). */
  bucketEntries: number;
  /** Entries in the index the bucket's KNN searches (FT.INFO num_docs). */
  indexEntries: number;
}

/** The policy to send, or undefined to leave RediSearch's own choice (FLAT, unknown size, small bucket). */
export function hybridPolicyFor(index: IndexSpec, size: BucketSize | undefined): HybridPolicy | undefined {
  if (index.algorithm !== VECTOR_ALGORITHM.HNSW || !size || size.indexEntries <= 0) return undefined;
  return size.bucketEntries / size.indexEntries >= BATCHES_FROM_SHARE ? HYBRID_POLICY.BATCHES : undefined;
}
