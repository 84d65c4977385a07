import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricUnit, publishMetricsWithDimensions } from '../../../functions/lib/powertools.js';

/** The EMF documents written to stdout while `work` runs. */
function emitted(work: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    work();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Function: publishMetricsWithDimensions()', () => {
  it('writes one document per call, each with only its own dimensions and metrics', () => {
    const documents = emitted(() => {
      publishMetricsWithDimensions({ MonitorName: 'a' }, [
        { name: 'Availability', unit: MetricUnit.Percent, value: 100 },
        { name: 'Latency', unit: MetricUnit.Milliseconds, value: 12 },
      ]);
      publishMetricsWithDimensions({ Outcome: 'b' }, [
        { name: 'Availability', unit: MetricUnit.Percent, value: 0 },
      ]);
    });
    expect(documents).toHaveLength(2);
    expect(documents[0]).toMatchObject({ MonitorName: 'a', Availability: 100, Latency: 12 });
    expect(documents[1]).toMatchObject({ Outcome: 'b', Availability: 0 });
    expect(documents[1]).not.toHaveProperty('MonitorName');
    expect(documents[1]).not.toHaveProperty('Latency');
  });

  it('writes nothing for no values, and leaves nothing of a refused document for the next', () => {
    const documents = emitted(() => {
      publishMetricsWithDimensions({ MonitorName: 'none' }, []);
      expect(() =>
        publishMetricsWithDimensions({ MonitorName: 'bad' }, [
          { name: 'Latency', unit: MetricUnit.Milliseconds, value: 5 },
          { name: 'Broken', unit: 'Parsecs' as typeof MetricUnit.Count, value: 1 },
        ]),
      ).toThrow();
      publishMetricsWithDimensions({ MonitorName: 'next' }, [
        { name: 'Availability', unit: MetricUnit.Percent, value: 100 },
      ]);
    });
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ MonitorName: 'next', Availability: 100 });
    expect(documents[0]).not.toHaveProperty('Latency');
  });
});
