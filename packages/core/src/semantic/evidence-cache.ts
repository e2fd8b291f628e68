// A process-local view of the shared evidence, so a lookup never waits for a round trip to learn
// where hits are safe. Rules:
// 1. `current()` is synchronous: it returns what this process knows (the last shared read plus
//    its own outcomes not yet seen in a read) and, when the last sync started more than
//    `refreshMs` ago, starts one in the background. At most one sync runs at a time.
// 2. A sync pushes the local deltas first (additive, so no process overwrites another), then
//    reads the shared total, which then includes them. Until that read lands, the pushed deltas
//    stay in the local view: an outcome is never counted twice, nor dropped from the view.
// 3. A failed push keeps its deltas for the next sync (nothing learned is lost when Redis blinks);
//    a failed read keeps the last view. Either is reported to onError and retried after refreshMs.
// 4. Until the first read lands the view holds only local outcomes: the cold-start rule (no
//    unverified hit without evidence) then holds by itself.
import {
  addFields,
  type Evidence,
  type EvidenceFields,
  type EvidenceStore,
  emptyEvidence,
  mergeFields,
  outcomeFields,
  parseEvidence,
} from './evidence.js';

export interface EvidenceCacheOptions {
  store: EvidenceStore;
  /** Sync with the shared store at most this often, ms (default 2000). */
  refreshMs?: number;
  /** Clock, ms (tests drive it). */
  now?: () => number;
  /** Sync trouble; the cache keeps working on what it has. */
  onError?: (error: unknown) => void;
}

export class EvidenceCache {
  private readonly store: EvidenceStore;
  private readonly refreshMs: number;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  private shared: Evidence = emptyEvidence();
  /** Recorded here, not yet pushed. */
  private pending: EvidenceFields = {};
  /** Pushed, not yet in `shared` (the read that will include them has not landed). */
  private unseen: EvidenceFields = {};
  private view: Evidence | undefined;
  private lastSyncStart = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;

  constructor(options: EvidenceCacheOptions) {
    this.store = options.store;
    this.refreshMs = options.refreshMs ?? 2000;
    this.now = options.now ?? (() => Date.now());
    this.onError = options.onError ?? (() => {});
  }

  /**
   * What this process knows now. The same object is returned until something changes, so callers
   * may memoise work on it (the acceptance rule memoises its threshold this way).
   */
  current(): Evidence {
    if (this.now() - this.lastSyncStart >= this.refreshMs) void this.sync();
    this.view ??= addFields(addFields(this.shared, this.unseen), this.pending);
    return this.view;
  }

  /** One observed outcome: was the cached answer right for the query at this similarity? */
  record(similarity: number, correct: boolean): void {
    this.pending = mergeFields(this.pending, outcomeFields(similarity, correct));
    this.view = undefined;
  }

  /** Local outcomes not yet pushed (for stats and tests). */
  pendingFields(): EvidenceFields {
    return { ...this.pending };
  }

  /** Pushes local outcomes and reads the shared total; resolves when done (never rejects). */
  sync(): Promise<void> {
    this.running ??= this.runSync().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runSync(): Promise<void> {
    this.lastSyncStart = this.now();
    const pushing = this.pending;
    if (Object.keys(pushing).length > 0) {
      this.pending = {};
      try {
        await this.store.add(pushing);
        this.unseen = mergeFields(this.unseen, pushing);
      } catch (error) {
        // Rule 3: kept for the next sync; outcomes recorded meanwhile are merged with it.
        this.pending = mergeFields(pushing, this.pending);
        this.onError(error);
        return;
      }
    }
    try {
      const fields = await this.store.read();
      this.shared = parseEvidence(fields);
      this.unseen = {};
      this.view = undefined;
    } catch (error) {
      this.onError(error);
    }
  }
}
