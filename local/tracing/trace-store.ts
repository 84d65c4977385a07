import type { SegmentDocument } from './types.js';

/** Limits of a {@link TraceStore}: the oldest trace goes when a new one would exceed `maxTraces`. */
export interface TraceStoreLimits {
  maxTraces?: number;
  /** Documents kept per trace; later ones are counted in `dropped`. */
  maxDocumentsPerTrace?: number;
}

/** One trace as stored: its documents in arrival order (a later document with the same id replaces). */
export interface StoredTrace {
  id: string;
  /** Epoch ms when the first document arrived. */
  firstSeenMs: number;
  documents: SegmentDocument[];
  dropped: number;
}

const DEFAULT_MAX_TRACES = 200;
const DEFAULT_MAX_DOCUMENTS = 1_000;

/**
 * The local cloud's traces, in memory and bounded: documents from the X-Ray daemon (functions'
 * subsegments) and from the local cloud itself (API Gateway and Lambda segments), grouped by trace id.
 */
export class TraceStore {
  private readonly traces = new Map<string, StoredTrace>();
  private readonly maxTraces: number;
  private readonly maxDocuments: number;

  constructor(limits: TraceStoreLimits = {}) {
    this.maxTraces = limits.maxTraces ?? DEFAULT_MAX_TRACES;
    this.maxDocuments = limits.maxDocumentsPerTrace ?? DEFAULT_MAX_DOCUMENTS;
  }

  /** Adds (or replaces, by id) one document; one without a trace id is ignored. */
  add(document: SegmentDocument): void {
    const traceId = document.trace_id;
    if (!traceId || typeof document.id !== 'string') return;
    let trace = this.traces.get(traceId);
    if (!trace) {
      trace = { id: traceId, firstSeenMs: Date.now(), documents: [], dropped: 0 };
      this.traces.set(traceId, trace);
      while (this.traces.size > this.maxTraces) {
        const oldest = this.traces.keys().next().value;
        if (oldest === undefined) break;
        this.traces.delete(oldest);
      }
    }
    const index = trace.documents.findIndex((d) => d.id === document.id);
    if (index >= 0) trace.documents[index] = document;
    else if (trace.documents.length < this.maxDocuments) trace.documents.push(document);
    else trace.dropped += 1;
  }

  /** Every stored trace, newest first. */
  all(): StoredTrace[] {
    return [...this.traces.values()].reverse();
  }

  get(traceId: string): StoredTrace | undefined {
    return this.traces.get(traceId);
  }

  get size(): number {
    return this.traces.size;
  }
}
