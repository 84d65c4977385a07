import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, tracer } from '../../../functions/lib/powertools.js';
import { annotate, recordSpan, traceSpan } from '../../../functions/lib/tracing.js';

/** A stand-in for the X-Ray subsegment `captureAsyncFunc` hands to its function. */
function fakeSubsegment() {
  return { addAnnotation: vi.fn(), addError: vi.fn(), close: vi.fn() };
}

/** Turn tracing on for one test and record the subsegment `traceSpan` opens. */
function withTracing() {
  const subsegment = fakeSubsegment();
  const names: string[] = [];
  vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
  vi.spyOn(tracer.provider, 'captureAsyncFunc').mockImplementation((name, work) => {
    names.push(name);
    return work(subsegment as never);
  });
  return { subsegment, names };
}

afterEach(() => {
  vi.restoreAllMocks();
  logger.resetKeys();
});

describe('Function: annotate()', () => {
  it('puts each non-empty value on the trace and on later log lines', () => {
    const put = vi.spyOn(tracer, 'putAnnotation');
    const append = vi.spyOn(logger, 'appendKeys');
    annotate({ monitorId: 'm-1', photoId: '', userSub: undefined });
    expect(put).toHaveBeenCalledTimes(1);
    expect(put).toHaveBeenCalledWith('monitorId', 'm-1');
    expect(append).toHaveBeenCalledWith({ monitorId: 'm-1' });
  });

  it('does nothing when every value is empty', () => {
    const append = vi.spyOn(logger, 'appendKeys');
    annotate({ streamName: '' });
    expect(append).not.toHaveBeenCalled();
  });
});

describe('Function: traceSpan()', () => {
  it('just runs the work when tracing is off', async () => {
    const capture = vi.spyOn(tracer.provider, 'captureAsyncFunc');
    await expect(traceSpan('probe', { monitorId: 'm-1' }, async () => 42)).resolves.toBe(42);
    expect(capture).not.toHaveBeenCalled();
  });

  it('opens an annotated subsegment around the work and closes it', async () => {
    const { subsegment, names } = withTracing();
    await expect(traceSpan('probe', { monitorId: 'm-1', photoId: '' }, async () => 'ok')).resolves.toBe('ok');
    expect(names).toEqual(['probe']);
    expect(subsegment.addAnnotation.mock.calls).toEqual([['monitorId', 'm-1']]);
    expect(subsegment.close).toHaveBeenCalledTimes(1);
    expect(subsegment.addError).not.toHaveBeenCalled();
  });

  it('records an error on the subsegment and rethrows it', async () => {
    const { subsegment } = withTracing();
    const failure = new Error('boom');
    await expect(
      traceSpan('label', { photoId: 'p-1' }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(subsegment.addError).toHaveBeenCalledWith(failure);
    expect(subsegment.close).toHaveBeenCalledTimes(1);
  });
});

describe('Function: recordSpan()', () => {
  /** A current segment whose new subsegments are kept. */
  function withSegment() {
    const opened: (ReturnType<typeof fakeSubsegment> & {
      name: string;
      start_time?: number;
      addMetadata: ReturnType<typeof vi.fn>;
      addErrorFlag: ReturnType<typeof vi.fn>;
    })[] = [];
    const parent = {
      addNewSubsegment: vi.fn((name: string) => {
        const subsegment = { ...fakeSubsegment(), name, addMetadata: vi.fn(), addErrorFlag: vi.fn() };
        opened.push(subsegment);
        return subsegment;
      }),
    };
    vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
    vi.spyOn(tracer, 'getSegment').mockReturnValue(parent as never);
    return opened;
  }

  it('adds a closed, annotated subsegment from its start to now, with metadata and an error flag', () => {
    const opened = withSegment();
    recordSpan(
      'probe',
      { monitorId: 'm-1', photoId: '' },
      {
        startedAt: 1_700_000_000_250,
        failed: true,
        metadata: { status: 'DOWN', attempts: 2 },
      },
    );
    expect(opened).toHaveLength(1);
    const [span] = opened;
    expect(span?.name).toBe('probe');
    expect(span?.start_time).toBe(1_700_000_000.25);
    expect(span?.addAnnotation.mock.calls).toEqual([['monitorId', 'm-1']]);
    expect(span?.addMetadata).toHaveBeenCalledWith('probe', { status: 'DOWN', attempts: 2 });
    expect(span?.addErrorFlag).toHaveBeenCalledTimes(1);
    expect(span?.close).toHaveBeenCalledTimes(1);
  });

  it('flags nothing for work that did not fail', () => {
    const opened = withSegment();
    recordSpan('probe', { monitorId: 'm-2' }, { startedAt: Date.now() });
    expect(opened[0]?.addErrorFlag).not.toHaveBeenCalled();
    expect(opened[0]?.addMetadata).not.toHaveBeenCalled();
  });

  it('records nothing when tracing is off or there is no segment', () => {
    const getSegment = vi.spyOn(tracer, 'getSegment');
    recordSpan('probe', { monitorId: 'm-1' }, { startedAt: Date.now() });
    expect(getSegment).not.toHaveBeenCalled();
    vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true);
    getSegment.mockReturnValue(undefined);
    expect(() => recordSpan('probe', { monitorId: 'm-1' }, { startedAt: Date.now() })).not.toThrow();
  });
});
