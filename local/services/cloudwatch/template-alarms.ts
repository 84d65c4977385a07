import { createHash } from 'node:crypto';
import type { TemplateModel } from '../../template/types.js';
import type { LocalLogger } from '../../types.js';
import { readAlarmDefinition } from './alarm-definition.js';
import type { AlarmStore } from './alarm-store.js';
import { CloudWatchError } from './errors.js';

/** What creating the template's alarms did. */
export interface TemplateAlarms {
  created: string[];
  /** Saved alarms kept as they were (the template did not change them; a function may have). */
  kept: string[];
  /** Alarms the local CloudWatch refused (as CloudFormation would have failed to create them). */
  refused: string[];
}

/**
 * Creates every `AWS::CloudWatch::Alarm` of the template (named `AlarmName`, else `<stack>-<logical
 * id>` as the template reader names them), as a deploy would: an alarm saved by an earlier run whose
 * template properties did not change is kept with its configuration and state — a function may have
 * rewritten it, as the resharder rewrites its alarms for each new shard count — and one whose
 * properties changed is replaced. Saved alarms of template resources that are gone are deleted; alarms
 * made through the API stay.
 */
export function createTemplateAlarms(
  model: TemplateModel,
  alarms: AlarmStore,
  log: LocalLogger,
): TemplateAlarms {
  const outcome: TemplateAlarms = { created: [], kept: [], refused: [] };
  const declared = new Set<string>();
  for (const resource of model.resources.values()) {
    if (resource.type !== 'AWS::CloudWatch::Alarm') continue;
    const p = resource.properties;
    const name = typeof p.AlarmName === 'string' ? p.AlarmName : `${model.stackName}-${resource.logicalId}`;
    declared.add(resource.logicalId);
    const hash = createHash('sha256').update(JSON.stringify(p)).digest('hex').slice(0, 16);
    const saved = alarms.get(name);
    if (saved?.template?.logicalId === resource.logicalId && saved.template.hash === hash) {
      outcome.kept.push(name);
      continue;
    }
    try {
      const definition = readAlarmDefinition({ ...p, AlarmName: name });
      alarms.put(definition, Date.now(), { logicalId: resource.logicalId, hash });
      outcome.created.push(name);
    } catch (error) {
      if (!(error instanceof CloudWatchError)) throw error;
      log.warn(
        `${resource.logicalId}: CloudWatch would refuse this alarm (${error.code}: ${error.message}); not created`,
      );
      outcome.refused.push(name);
    }
  }
  for (const record of alarms.all()) {
    if (record.template && !declared.has(record.template.logicalId))
      alarms.delete(record.definition.alarmName);
  }
  return outcome;
}
