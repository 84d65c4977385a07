import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { prettyLogSink } from '../../../local/console/pretty-sink.js';

function capture(): NodeJS.WriteStream & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string; isTTY: boolean };
  stream.text = '';
  stream.isTTY = false;
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

describe('Function: prettyLogSink()', () => {
  it('prints level, message and key fields instead of the raw JSON; never an EMF document', () => {
    vi.stubEnv('NO_COLOR', '1');
    const out = capture();
    const sink = prettyLogSink(out);
    sink({
      logicalId: 'CheckSitesFunction',
      stream: 'stdout',
      line: JSON.stringify({
        level: 'WARN',
        message: 'Monitors not checked: the run reached its deadline',
        timestamp: '2026-12-05T23:44:17.929Z',
        service: 'health-checker',
        function_request_id: '2ffbc360-b41a-4320-b1fc-e8963441fb28',
        count: 3,
        monitors: ['a', 'b', 'c'],
      }),
    });
    sink({
      logicalId: 'CheckSitesFunction',
      stream: 'stdout',
      line: '{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"MonitorsDown":1}',
    });
    sink({ logicalId: 'EchoFunction', stream: 'stdout', line: '2026-12-05T23:44:17.929Z\tr-1\tINFO\thello' });
    vi.unstubAllEnvs();
    expect(out.text).toBe(
      '23:44:17 CheckSitesFunction WARN  Monitors not checked: the run reached its deadline count=3\n' +
        '23:44:17 EchoFunction INFO  hello\n',
    );
  });
});
