// The default import, as the probe uses it: the X-Ray SDK patches the module object, not ESM named bindings.
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import xray from 'aws-xray-sdk-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpSegmentName,
  keepPortsInHttpSegmentNames,
  type NamedSegment,
  parentIdOf,
  renameHttpSubsegment,
} from '../../../functions/lib/http-segment-names.js';
import { tracer } from '../../../functions/lib/powertools.js';

describe('Function: httpSegmentName()', () => {
  it.each([
    ['http:', '127.0.0.1', '4510', '127.0.0.1:4510'],
    ['https:', 'api.example.com', 8443, 'api.example.com:8443'],
    ['http:', 'example.com', '80', 'example.com'],
    ['https:', 'example.com', '443', 'example.com'],
    ['http:', 'example.com', '443', 'example.com:443'],
    ['https:', 'example.com', '', 'example.com'],
    ['http:', 'example.com', undefined, 'example.com'],
    ['http:', '[::1]', '8080', '[::1]:8080'],
  ])('%s//%s on port %s is named %s', (protocol, hostname, port, name) => {
    expect(httpSegmentName(protocol, hostname, port)).toBe(name);
  });
});

describe('Function: parentIdOf()', () => {
  it('reads the subsegment id of an X-Amzn-Trace-Id header', () => {
    expect(parentIdOf('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995C3F42CD8AD8;Sampled=1')).toBe(
      '53995c3f42cd8ad8',
    );
    expect(parentIdOf('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1')).toBeUndefined();
    expect(parentIdOf('Root=1-5759e988;Parent=xyz;Sampled=1')).toBeUndefined();
    expect(parentIdOf(undefined)).toBeUndefined();
  });
});

describe('Function: renameHttpSubsegment()', () => {
  const header = (id: string) => `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${id};Sampled=1`;
  function tree() {
    const remote: NamedSegment = { id: 'aaaaaaaaaaaaaaaa', name: '127.0.0.1', namespace: 'remote' };
    const dynamodb: NamedSegment = { id: 'bbbbbbbbbbbbbbbb', name: 'DynamoDB', namespace: 'aws' };
    const handler: NamedSegment = {
      id: 'cccccccccccccccc',
      name: '## handler',
      subsegments: [remote, dynamodb],
    };
    const root: NamedSegment = { id: 'dddddddddddddddd', name: 'Fn', subsegments: [handler] };
    handler.segment = root;
    return { remote, dynamodb, handler, root };
  }

  it('renames the remote subsegment the header names, found from the current one up to its root', () => {
    const { remote, handler } = tree();
    expect(renameHttpSubsegment(handler, header(remote.id), '127.0.0.1', '127.0.0.1:4510')).toBe(true);
    expect(remote.name).toBe('127.0.0.1:4510');
  });

  it('finds a subsegment under the current one without walking the rest of the trace', () => {
    const { remote, handler, root } = tree();
    let walked = 0;
    // Many finished siblings under the root (a run's earlier probes): reading them would be counted.
    const siblings = Array.from({ length: 1000 }, (_, i) => ({
      get id() {
        walked += 1;
        return i.toString(16).padStart(16, 'f');
      },
      name: 'example.com',
    }));
    root.subsegments = [...siblings, handler];
    expect(renameHttpSubsegment(handler, header(remote.id), '127.0.0.1', '127.0.0.1:4510')).toBe(true);
    expect(remote.name).toBe('127.0.0.1:4510');
    expect(walked).toBe(0);
  });

  it('falls back to the root when the subsegment is not under the current one', () => {
    const { remote, handler, root } = tree();
    handler.subsegments = [];
    const other: NamedSegment = { id: 'ffffffffffffffff', name: 'other', subsegments: [remote] };
    root.subsegments = [other, handler];
    expect(renameHttpSubsegment(handler, header(remote.id), '127.0.0.1', '127.0.0.1:4510')).toBe(true);
    expect(remote.name).toBe('127.0.0.1:4510');
  });

  it('leaves an AWS call (its header names the aws subsegment), a renamed one and an unknown id alone', () => {
    const { remote, dynamodb, handler } = tree();
    expect(renameHttpSubsegment(handler, header(dynamodb.id), '127.0.0.1', '127.0.0.1:4502')).toBe(false);
    expect(dynamodb.name).toBe('DynamoDB');
    remote.name = 'example.com';
    expect(renameHttpSubsegment(handler, header(remote.id), '127.0.0.1', '127.0.0.1:4510')).toBe(false);
    expect(renameHttpSubsegment(handler, header('eeeeeeeeeeeeeeee'), '127.0.0.1', '127.0.0.1:1')).toBe(false);
    expect(renameHttpSubsegment(undefined, header(remote.id), '127.0.0.1', '127.0.0.1:1')).toBe(false);
    expect(remote.name).toBe('example.com');
  });
});

describe('Function: keepPortsInHttpSegmentNames(), with the X-Ray SDK and Powertools instrumentation', () => {
  let server: Server;
  let port: number;
  let stop: () => void;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    xray.setLogger({ debug() {}, info() {}, warn() {}, error() {} });
    // What the Tracer does when tracing is on (it is off in unit tests): capture node:http and fetch.
    tracer.provider.captureHTTPsGlobal();
    tracer.provider.instrumentFetch();
    stop = keepPortsInHttpSegmentNames(tracer.provider);
  });

  afterAll(async () => {
    stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Runs `work` with `segment` as the current X-Ray segment, as a traced invocation does. */
  function inSegment(segment: InstanceType<typeof xray.Segment>, work: () => Promise<void>): Promise<void> {
    return xray.getNamespace().runAndReturn(() => {
      xray.setSegment(segment);
      return work();
    });
  }

  it('names node:http and fetch subsegments host:port, so two local services no longer look alike', async () => {
    const segment = new xray.Segment('kumo-test');
    await inSegment(segment, async () => {
      await new Promise<void>((resolve, reject) =>
        http
          .get(`http://127.0.0.1:${port}/probe`, (res) => res.resume().on('end', resolve))
          .on('error', reject),
      );
      await (await fetch(`http://127.0.0.1:${port}/x-api`)).text();
    });
    const names = (segment.subsegments ?? []).map((s) => s.name);
    expect(names).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`]);
    expect((segment.subsegments ?? []).map((s) => s.namespace)).toEqual(['remote', 'remote']);
  });
});
