import { describe, expect, it, vi } from 'vitest';
import { withPowertools } from '../../../functions/lib/middy.js';
import { logger, MetricUnit, metrics, tracer } from '../../../functions/lib/powertools.js';
import { lambdaContext, scheduledEvent } from '../../helpers/factories.js';

/** Run `work` and return what it wrote to stdout, one entry per JSON line. */
async function captureStdout(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await work();
    return write.mock.calls
      .flatMap(([chunk]) => String(chunk).split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  } finally {
    write.mockRestore();
  }
}

describe('Function: withPowertools()', () => {
  it('returns what the handler returns, logs with the Lambda context and flushes metrics', async () => {
    const event = scheduledEvent();
    let result: unknown;
    const wrapped = withPowertools(
      async (input: { id: string }) => {
        logger.info('inside the handler');
        metrics.addMetric('Handled', MetricUnit.Count, 1);
        return { handled: input.id };
      },
      { correlationId: (input) => input.id, captureColdStartMetric: false },
    );
    const lines = await captureStdout(async () => {
      result = await wrapped(event, lambdaContext({ awsRequestId: 'req-42' }));
    });
    expect(result).toEqual({ handled: event.id });
    expect(lines.find((line) => line.message === 'inside the handler')).toMatchObject({
      function_request_id: 'req-42',
      correlation_id: event.id,
    });
    expect(lines.find((line) => '_aws' in line)).toMatchObject({ Handled: 1 });
  });

  it('lets handler errors through, after flushing metrics', async () => {
    const publish = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    const wrapped = withPowertools(async () => {
      throw new Error('boom');
    });
    await expect(wrapped({}, lambdaContext())).rejects.toThrow('boom');
    expect(publish).toHaveBeenCalled();
    publish.mockRestore();
  });

  it('records the response as trace metadata unless told not to (captureResponse: false)', async () => {
    const spies = [
      vi.spyOn(tracer, 'isTracingEnabled').mockReturnValue(true),
      vi.spyOn(tracer, 'getSegment').mockReturnValue(undefined),
      vi.spyOn(tracer, 'annotateColdStart').mockImplementation(() => undefined),
      vi.spyOn(tracer, 'addServiceNameAnnotation').mockImplementation(() => undefined),
    ];
    const metadata = vi.spyOn(tracer, 'addResponseAsMetadata').mockImplementation(() => undefined);
    try {
      const secret = { url: 'https://bucket.s3.amazonaws.com/k?X-Amz-Signature=abc' };
      await withPowertools(async () => secret, { captureColdStartMetric: false })({}, lambdaContext());
      expect(metadata).toHaveBeenCalledWith(secret, process.env._HANDLER);
      metadata.mockClear();
      await withPowertools(async () => secret, { captureColdStartMetric: false, captureResponse: false })(
        {},
        lambdaContext(),
      );
      expect(metadata).not.toHaveBeenCalled();
    } finally {
      for (const spy of [...spies, metadata]) spy.mockRestore();
    }
  });
});
