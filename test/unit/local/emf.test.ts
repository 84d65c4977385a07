import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { metricDataOf, summariseEmf } from '../../../local/metrics/emf-forward.js';
import { type EmfSample, parseEmf } from '../../../local/metrics/index.js';

const T = 1_796_500_000_000;

/** An EMF document with one directive, as a line; `extra` adds or overrides root members. */
function emf(directive: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ _aws: { Timestamp: T, CloudWatchMetrics: [directive] }, ...extra });
}

/** What Powertools Metrics really writes for `work`, one line per document. */
function powertoolsLines(work: (metrics: Metrics) => void): string[] {
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const metrics = new Metrics({ namespace: 'Kumo/Health', serviceName: 'health-checker' });
    work(metrics);
    metrics.publishStoredMetrics();
    return write.mock.calls.flatMap(([chunk]) => String(chunk).split('\n')).filter(Boolean);
  } finally {
    write.mockRestore();
  }
}

describe('Function: parseEmf()', () => {
  it("reads Powertools' own output: namespace, the service dimension, units, values", () => {
    const lines = powertoolsLines((m) => {
      m.addMetric('MonitorsDown', MetricUnit.Count, 2);
      m.addMetric('Latency', MetricUnit.Milliseconds, 120);
    });
    const samples = lines.flatMap((line) => {
      const result = parseEmf(line);
      return result.kind === 'emf' ? result.samples : [];
    });
    expect(samples).toEqual([
      expect.objectContaining({
        namespace: 'Kumo/Health',
        name: 'MonitorsDown',
        dimensions: { service: 'health-checker' },
        unit: 'Count',
        values: [2],
      }),
      expect.objectContaining({ name: 'Latency', unit: 'Milliseconds', values: [120] }),
    ]);
    expect(samples[0]?.timestamp).toBeGreaterThan(Date.now() - 60_000);
  });

  it('makes one metric per dimension set, an empty set or none a metric without dimensions', () => {
    const line = emf(
      {
        Namespace: 'Kumo/Test',
        Dimensions: [['service'], ['service', 'MonitorName'], []],
        Metrics: [{ Name: 'Availability', Unit: 'Percent' }],
      },
      { service: 'checker', MonitorName: 'home', Availability: 100 },
    );
    const result = parseEmf(line);
    expect(result.kind === 'emf' && result.samples.map((s) => s.dimensions)).toEqual([
      { service: 'checker' },
      { service: 'checker', MonitorName: 'home' },
      {},
    ]);
    const bare = parseEmf(emf({ Namespace: 'Kumo/Test', Metrics: [{ Name: 'N' }] }, { N: 1 }));
    expect(bare).toEqual({
      kind: 'emf',
      problems: [],
      samples: [
        { namespace: 'Kumo/Test', name: 'N', dimensions: {}, unit: 'None', timestamp: T, values: [1] },
      ],
    });
  });

  it('takes an array of values, and several directives in one document', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: T,
        CloudWatchMetrics: [
          { Namespace: 'A', Dimensions: [['s']], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }] },
          { Namespace: 'B', Dimensions: [['s']], Metrics: [{ Name: 'Count', Unit: 'Count' }] },
        ],
      },
      s: 'x',
      Latency: [10, 20, 30],
      Count: 4,
    });
    const result = parseEmf(line);
    expect(result.kind === 'emf' && result.samples.map((s) => [s.namespace, s.name, s.values])).toEqual([
      ['A', 'Latency', [10, 20, 30]],
      ['B', 'Count', [4]],
    ]);
  });

  it.each([
    ['plain text', 'Health checks complete'],
    ['a Powertools log line', '{"level":"INFO","message":"done","timestamp":"2026-12-05T23:44:17.651Z"}'],
    ['JSON that is not an object', '["_aws"]'],
    ['broken JSON that mentions _aws', '{"_aws": {"Timestamp": 1'],
    ['an empty line', ''],
  ])('says %s is not EMF', (_what, line) => {
    expect(parseEmf(line)).toEqual({ kind: 'not-emf' });
  });

  it.each([
    ['_aws not an object', '{"_aws":"yes"}', '_aws is not an object'],
    ['no Timestamp', '{"_aws":{"CloudWatchMetrics":[]}}', '_aws.Timestamp'],
    ['a Timestamp as text', `{"_aws":{"Timestamp":"${T}","CloudWatchMetrics":[]}}`, '_aws.Timestamp'],
    ['no CloudWatchMetrics', `{"_aws":{"Timestamp":${T}}}`, 'CloudWatchMetrics is not an array'],
  ])('reports a document with %s, and yields nothing', (_what, line, problem) => {
    const result = parseEmf(line);
    expect(result.kind).toBe('emf');
    if (result.kind !== 'emf') return;
    expect(result.samples).toEqual([]);
    expect(result.problems.join()).toContain(problem);
  });

  it('leaves out what CloudWatch would reject and keeps the rest of the document', () => {
    const line = JSON.stringify({
      _aws: {
        Timestamp: T,
        CloudWatchMetrics: [
          'not a directive',
          { Namespace: 'AWS/Lambda', Dimensions: [], Metrics: [{ Name: 'Good' }] },
          {
            Namespace: 'Kumo/Test',
            Dimensions: [['service'], ['missing'], ['count']],
            Metrics: [
              { Name: 'Good', Unit: 'Count' },
              { Name: 'Text' },
              { Name: 'Absent' },
              { Name: 'Mixed' },
              { Name: 'Odd', Unit: 'Furlongs' },
              { Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'svc',
      count: 3,
      Good: 1,
      Text: '5',
      Mixed: [1, 'two'],
      Odd: 7,
    });
    const result = parseEmf(line);
    expect(result.kind).toBe('emf');
    if (result.kind !== 'emf') return;
    expect(result.samples.map((s) => [s.name, s.dimensions, s.unit, s.values])).toEqual([
      ['Good', { service: 'svc' }, 'Count', [1]],
      ['Odd', { service: 'svc' }, 'None', [7]],
    ]);
    expect(result.problems).toEqual([
      '_aws.CloudWatchMetrics[0] is not an object',
      '_aws.CloudWatchMetrics[1].Namespace is not a namespace a function may write',
      '_aws.CloudWatchMetrics[2].Dimensions[1]: dimension missing is not a string member of the document',
      '_aws.CloudWatchMetrics[2].Dimensions[2]: dimension count is not a string member of the document',
      'Text has no numeric value (a number or an array of at most 100 numbers)',
      'Absent has no numeric value (a number or an array of at most 100 numbers)',
      'Mixed has no numeric value (a number or an array of at most 100 numbers)',
      '_aws.CloudWatchMetrics[2].Metrics[4].Unit Furlongs is not a CloudWatch unit; None',
      '_aws.CloudWatchMetrics[2].Metrics[5] has no Name',
    ]);
  });

  it('refuses more than 100 values for one metric', () => {
    const result = parseEmf(
      emf(
        { Namespace: 'Kumo/Test', Metrics: [{ Name: 'Many' }] },
        { Many: Array.from({ length: 101 }, () => 1) },
      ),
    );
    expect(result.kind === 'emf' && result.samples).toEqual([]);
  });

  it('never throws, whatever the line', () => {
    const lines = [
      '{"_aws":null}',
      '{"_aws":{"Timestamp":1,"CloudWatchMetrics":[null,1,[],{"Namespace":1}]}}',
      '{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":"service","Metrics":{}}]}}',
      '{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[null,{}]],"Metrics":[null]}]}}',
      `{"_aws":{"Timestamp":1e400,"CloudWatchMetrics":[]}}`,
      '{"__proto__":{"_aws":1},"_aws":{"Timestamp":1,"CloudWatchMetrics":[]}}',
      '\u0000{"_aws"',
    ];
    for (const line of lines) expect(() => parseEmf(line)).not.toThrow();
  });
});

describe('Function: metricDataOf() and summariseEmf()', () => {
  const at = Date.parse('2026-12-06T01:00:00Z');
  const samples: EmfSample[] = [
    {
      namespace: 'Kumo/Health',
      name: 'MonitorsDown',
      dimensions: { service: 'health' },
      unit: 'Count' as const,
      timestamp: at,
      values: [1],
    },
    {
      namespace: 'Kumo/Health',
      name: 'MonitorsDown',
      dimensions: { service: 'health' },
      unit: 'Count' as const,
      timestamp: at + 1,
      values: [0, 2],
    },
    {
      namespace: 'Kumo/Posts',
      name: 'Latency',
      dimensions: {},
      unit: 'Milliseconds' as const,
      timestamp: at,
      values: [12.5],
    },
  ];

  it('turns samples into PutMetricData data by namespace, with the function’s timestamps', () => {
    const data = metricDataOf(samples);
    expect([...data.keys()]).toEqual(['Kumo/Health', 'Kumo/Posts']);
    expect(data.get('Kumo/Health')?.[1]).toEqual({
      MetricName: 'MonitorsDown',
      Dimensions: [{ Name: 'service', Value: 'health' }],
      Timestamp: new Date(at + 1),
      Unit: 'Count',
      Values: [0, 2],
    });
    expect(data.get('Kumo/Posts')).toEqual([
      {
        MetricName: 'Latency',
        Dimensions: [],
        Timestamp: new Date(at),
        Unit: 'Milliseconds',
        Values: [12.5],
      },
    ]);
  });

  it('summarises one line per metric: its values, their sum and unit', () => {
    expect(summariseEmf(samples)).toEqual([
      'Kumo/Health MonitorsDown {service=health}: 3 values, sum 3 Count',
      'Kumo/Posts Latency: 12.5 Milliseconds',
    ]);
    expect(summariseEmf([])).toEqual([]);
  });
});
