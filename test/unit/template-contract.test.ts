import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WIRED_EVENT_TYPES } from '../../local/events/wired.js';
import { parseTemplateText, readTemplate, type TemplateModel } from '../../local/template/index.js';

const root = path.resolve(import.meta.dirname, '../..');
let model: TemplateModel;
let raw: {
  Globals?: { Api?: Record<string, unknown> };
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

beforeAll(async () => {
  model = await readTemplate(path.join(root, 'template.yaml'));
  raw = parseTemplateText(await readFile(path.join(root, 'template.yaml'), 'utf8')) as typeof raw;
});

/** Every IAM statement of inline policies and SAM policy documents in the template. */
function statements(): { Effect?: string; Action?: unknown; Resource?: unknown }[] {
  const found: { Effect?: string; Action?: unknown; Resource?: unknown }[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (Array.isArray(record.Statement)) found.push(...(record.Statement as typeof found));
      Object.values(record).forEach(walk);
    }
  };
  walk(raw.Resources);
  return found;
}

describe('template.yaml contract', () => {
  it('has functions and reads without warnings or errors', () => {
    expect(model.functions.length).toBeGreaterThan(0);
    expect(model.warnings).toEqual([]);
    expect(model.errors).toEqual([]);
  });

  it('gives every function esbuild Metadata whose entry point exists and matches its Handler', async () => {
    for (const fn of model.functions) {
      expect(fn.build, `${fn.logicalId} has no esbuild Metadata`).toBeDefined();
      const entries = fn.build?.entryPoints ?? [];
      expect(entries.length, fn.logicalId).toBe(1);
      const entry = path.join(root, fn.codeUri, entries[0] as string);
      expect((await stat(entry)).isFile(), `${entry} is missing`).toBe(true);
      const [file, exportName] = fn.handler.split('.');
      expect(path.basename(entry, '.ts'), `${fn.logicalId}: Handler file`).toBe(file);
      const source = await readFile(entry, 'utf8');
      expect(source, `${fn.logicalId} must export ${exportName}`).toMatch(
        new RegExp(`export (const|async function|function) ${exportName}\\b`),
      );
    }
  });

  it('runs every function on a supported Node.js runtime, arm64, with active tracing', () => {
    for (const fn of model.functions) {
      expect(Number(/^nodejs(\d+)\.x$/.exec(fn.runtime)?.[1]), fn.logicalId).toBeGreaterThanOrEqual(22);
      expect(fn.architectures, fn.logicalId).toEqual(['arm64']);
      expect(fn.tracing, fn.logicalId).toBe('Active');
    }
  });

  it('gives every function a log group with retention', () => {
    const groups = [...model.resources.values()].filter((r) => r.type === 'AWS::Logs::LogGroup');
    for (const fn of model.functions) {
      const group = groups.find((g) => g.properties.LogGroupName === `/aws/lambda/${fn.name}`);
      expect(group, `${fn.logicalId} has no AWS::Logs::LogGroup`).toBeDefined();
      expect(Number(group?.properties.RetentionInDays)).toBeGreaterThan(0);
    }
  });

  it('traces every API stage (TracingEnabled)', () => {
    const apis = Object.entries(raw.Resources).filter(([, r]) => r.Type === 'AWS::Serverless::Api');
    for (const [logicalId, api] of apis) {
      const tracing = api.Properties?.TracingEnabled ?? raw.Globals?.Api?.TracingEnabled;
      expect(tracing, `${logicalId} TracingEnabled`).toBe(true);
    }
  });

  it('gives every function an Errors and a Throttles alarm that notify someone', () => {
    const alarms = Object.values(raw.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    for (const fn of model.functions) {
      for (const metric of ['Errors', 'Throttles']) {
        const alarm = alarms.find(
          (a) =>
            a.Properties?.Namespace === 'AWS/Lambda' &&
            a.Properties.MetricName === metric &&
            JSON.stringify(a.Properties.Dimensions) ===
              JSON.stringify([{ Name: 'FunctionName', Value: { Ref: fn.logicalId } }]),
        );
        expect(alarm, `${fn.logicalId} has no ${metric} alarm`).toBeDefined();
        expect((alarm?.Properties?.AlarmActions as unknown[] | undefined)?.length ?? 0).toBeGreaterThan(0);
      }
    }
  });

  it('shows every function and every alarm on the one dashboard', () => {
    const dashboards = Object.values(raw.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties?.DashboardBody);
    for (const fn of model.functions) expect(body, fn.logicalId).toContain(`\${${fn.logicalId}}`);
    for (const [logicalId, resource] of Object.entries(raw.Resources)) {
      if (resource.Type === 'AWS::CloudWatch::Alarm')
        expect(body, logicalId).toContain(`\${${logicalId}.Arn}`);
    }
  });

  it('uses only event sources the local cloud wires', () => {
    for (const fn of model.functions) {
      for (const event of fn.events) {
        expect(WIRED_EVENT_TYPES, `${fn.logicalId}.${event.name}`).toContain(event.type);
      }
    }
  });

  it('grants no * action on * resource', () => {
    for (const statement of statements()) {
      const actions = [statement.Action].flat();
      const resources = [statement.Resource].flat();
      expect(actions.includes('*') && resources.includes('*'), JSON.stringify(statement)).toBe(false);
    }
  });

  it('encrypts and backs up every table', () => {
    for (const table of model.tables) {
      const props = model.resources.get(table.logicalId)?.properties ?? {};
      expect(props.BillingMode, table.logicalId).toBe('PAY_PER_REQUEST');
      expect(props.SSESpecification, table.logicalId).toEqual({ SSEEnabled: true });
      expect(props.PointInTimeRecoverySpecification, table.logicalId).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
    }
  });
});
