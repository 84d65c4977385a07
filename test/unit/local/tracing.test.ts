import { describe, expect, it } from 'vitest';
import { parseDatagram } from '../../../local/tracing/daemon.js';
import { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader } from '../../../local/tracing/ids.js';
import { TraceStore } from '../../../local/tracing/trace-store.js';
import { traceDetail, traceSummaries } from '../../../local/tracing/trace-view.js';
import type { SegmentDocument } from '../../../local/tracing/types.js';

const HEADER = '{"format":"json","version":1}\n';

function doc(overrides: Partial<SegmentDocument> = {}): SegmentDocument {
  return {
    id: newSegmentId(),
    trace_id: '1-5f000000-000000000000000000000001',
    name: 'x',
    start_time: 1,
    end_time: 2,
    ...overrides,
  };
}

describe('Function: parseTraceHeader()', () => {
  it('reads Root, Parent and Sampled, and formats them back', () => {
    const root = newTraceId();
    const header = `Root=${root};Parent=0123456789abcdef;Sampled=1`;
    expect(parseTraceHeader(header)).toEqual({ root, parent: '0123456789abcdef', sampled: true });
    expect(formatTraceHeader({ root, parent: '0123456789abcdef', sampled: true })).toBe(header);
  });

  it('rejects a header without a valid Root', () => {
    expect(parseTraceHeader('Parent=0123456789abcdef')).toBeUndefined();
    expect(parseTraceHeader('Root=nope')).toBeUndefined();
    expect(parseTraceHeader(undefined)).toBeUndefined();
  });
});

describe('Function: parseDatagram()', () => {
  it('reads the daemon protocol: header line, then one segment document', () => {
    const segment = doc({ name: 'DynamoDB', type: 'subsegment', parent_id: 'abcdef0123456789' });
    expect(parseDatagram(Buffer.from(HEADER + JSON.stringify(segment)))).toEqual(segment);
  });

  it('ignores a wrong header, broken JSON and documents without ids', () => {
    expect(parseDatagram(`{"format":"xml","version":1}\n${JSON.stringify(doc())}`)).toBeUndefined();
    expect(parseDatagram(`${HEADER}{broken`)).toBeUndefined();
    expect(parseDatagram(`${HEADER}{"name":"x"}`)).toBeUndefined();
    expect(parseDatagram(JSON.stringify(doc()))).toBeUndefined();
  });
});

describe('Class: TraceStore', () => {
  it('keeps the newest traces within its limit and replaces a document sent again', () => {
    const store = new TraceStore({ maxTraces: 2, maxDocumentsPerTrace: 2 });
    const ids = [
      '1-5f000000-000000000000000000000001',
      '1-5f000000-000000000000000000000002',
      '1-5f000000-000000000000000000000003',
    ];
    for (const trace_id of ids) store.add(doc({ trace_id }));
    expect(store.all().map((t) => t.id)).toEqual([ids[2], ids[1]]);

    const first = doc({ trace_id: ids[2], id: 'aaaaaaaaaaaaaaaa', in_progress: true });
    store.add(first);
    store.add({ ...first, in_progress: false, end_time: 3 });
    store.add(doc({ trace_id: ids[2] }));
    const trace = store.get(ids[2] as string);
    expect(trace?.documents).toHaveLength(2);
    expect(trace?.documents.find((d) => d.id === first.id)?.in_progress).toBe(false);
    expect(trace?.dropped).toBe(1);
  });
});

describe('Function: traceDetail()', () => {
  it('orders spans depth-first under their parents, nested subsegments included', () => {
    const store = new TraceStore();
    const trace_id = '1-5f000000-00000000000000000000000a';
    store.add(
      doc({
        trace_id,
        id: 'fffffffffffffff1',
        name: 'fn',
        origin: 'AWS::Lambda::Function',
        start_time: 10,
        end_time: 10.5,
      }),
    );
    store.add(
      doc({
        trace_id,
        id: 'fffffffffffffff2',
        type: 'subsegment',
        parent_id: 'fffffffffffffff1',
        name: '## handler',
        start_time: 10.1,
        end_time: 10.4,
        subsegments: [
          doc({
            id: 'fffffffffffffff3',
            name: 'DynamoDB',
            namespace: 'aws',
            start_time: 10.2,
            end_time: 10.3,
            fault: true,
            cause: { exceptions: [{ type: 'Boom', message: 'down' }] },
          }),
        ],
      }),
    );
    const detail = traceDetail(store.get(trace_id) as NonNullable<ReturnType<TraceStore['get']>>);
    expect(detail.spans.map((s) => [s.name, s.depth])).toEqual([
      ['fn', 0],
      ['## handler', 1],
      ['DynamoDB', 2],
    ]);
    expect(detail.spans[2]).toMatchObject({
      kind: 'aws',
      fault: true,
      errorMessage: 'Boom: down',
      durationMs: 100,
    });
    expect(detail).toMatchObject({ name: 'fn', durationMs: 500, fault: true, services: ['fn'] });
    expect(traceSummaries(store.all())[0]?.spanCount).toBe(3);
  });
});
