import path from 'node:path';
import { JsonStore } from '../../kit/index.js';
import type { AlarmDefinition, AlarmRecord, AlarmState } from './alarm-definition.js';
import type { AlarmStateValue } from './constants.js';

/** State changes kept per alarm for DescribeAlarmHistory. */
const HISTORY_LIMIT = 100;

/** One DescribeAlarmHistory item (wall-clock ms). */
export interface HistoryItem {
  alarmName: string;
  timestamp: number;
  type: 'StateUpdate' | 'ConfigurationUpdate' | 'Action';
  summary: string;
  data: string;
}

/**
 * The alarms of the local CloudWatch by name, saved to `alarms.json` (debounced) with their state, so
 * that an alarm a function rewrote (the resharder rewrites its alarms for each new shard count) is
 * what the next start evaluates, as in AWS where a stack update leaves unchanged resources alone.
 */
export class AlarmStore {
  readonly #alarms = new Map<string, AlarmRecord>();
  readonly #history = new Map<string, HistoryItem[]>();
  readonly #store: JsonStore;
  readonly #arnPrefix: string;

  private constructor(file: string, arnPrefix: string) {
    this.#store = new JsonStore(file, () => [...this.#alarms.values()], { indent: 1 });
    this.#arnPrefix = arnPrefix;
  }

  /** Opens the store in `dir` with the alarms saved by an earlier run (none when `fresh`). */
  static async open(dir: string, fresh: boolean, region: string, accountId: string): Promise<AlarmStore> {
    const file = path.join(dir, 'alarms.json');
    const saved = (await JsonStore.load(file, fresh)) as AlarmRecord[] | undefined;
    const store = new AlarmStore(file, `arn:aws:cloudwatch:${region}:${accountId}:alarm:`);
    for (const record of Array.isArray(saved) ? saved : []) {
      if (record?.definition?.alarmName) store.#alarms.set(record.definition.alarmName, record);
    }
    return store;
  }

  /** The ARN of an alarm name. */
  arnOf(name: string): string {
    return `${this.#arnPrefix}${name}`;
  }

  get(name: string): AlarmRecord | undefined {
    return this.#alarms.get(name);
  }

  /** Every alarm, by name (DescribeAlarms' order). */
  all(): AlarmRecord[] {
    return [...this.#alarms.values()].sort((a, b) =>
      a.definition.alarmName < b.definition.alarmName
        ? -1
        : a.definition.alarmName > b.definition.alarmName
          ? 1
          : 0,
    );
  }

  /**
   * Creates or replaces an alarm's configuration (PutMetricAlarm). A new alarm starts
   * INSUFFICIENT_DATA ("Unchecked: Initial alarm creation"); an existing one keeps its state, as
   * CloudWatch does.
   */
  put(definition: AlarmDefinition, now: number, template?: AlarmRecord['template']): AlarmRecord {
    const existing = this.#alarms.get(definition.alarmName);
    const record: AlarmRecord = {
      definition,
      arn: this.arnOf(definition.alarmName),
      configurationUpdatedAt: now,
      state: existing?.state ?? {
        value: 'INSUFFICIENT_DATA',
        reason: 'Unchecked: Initial alarm creation',
        updatedAt: now,
        transitionedAt: now,
      },
      // An alarm from the template stays one when a function rewrites it.
      ...((template ?? existing?.template) ? { template: template ?? existing?.template } : {}),
    };
    this.#alarms.set(definition.alarmName, record);
    this.#addHistory({
      alarmName: definition.alarmName,
      timestamp: now,
      type: 'ConfigurationUpdate',
      summary: `Alarm "${definition.alarmName}" ${existing ? 'updated' : 'created'}`,
      data: JSON.stringify({ type: existing ? 'Update' : 'Create', version: '1.0' }),
    });
    this.changed();
    return record;
  }

  /** Sets an alarm's state; returns the previous state value. */
  setState(name: string, state: Omit<AlarmState, 'transitionedAt'>): AlarmStateValue | undefined {
    const record = this.#alarms.get(name);
    if (!record) return undefined;
    const old = record.state;
    record.state = {
      ...state,
      transitionedAt: old.value === state.value ? old.transitionedAt : state.updatedAt,
    };
    if (old.value !== state.value) {
      this.#addHistory({
        alarmName: name,
        timestamp: state.updatedAt,
        type: 'StateUpdate',
        summary: `Alarm updated from ${old.value} to ${state.value}`,
        data: JSON.stringify({
          version: '1.0',
          oldState: { stateValue: old.value, stateReason: old.reason },
          newState: { stateValue: state.value, stateReason: state.reason },
        }),
      });
    }
    this.changed();
    return old.value;
  }

  setActionsEnabled(name: string, enabled: boolean): void {
    const record = this.#alarms.get(name);
    if (!record) return;
    record.definition = { ...record.definition, actionsEnabled: enabled };
    this.changed();
  }

  delete(name: string): void {
    this.#alarms.delete(name);
    this.#history.delete(name);
    this.changed();
  }

  /** Records an action taken (or not) for DescribeAlarmHistory. */
  recordAction(name: string, timestamp: number, summary: string, data: Record<string, unknown>): void {
    this.#addHistory({ alarmName: name, timestamp, type: 'Action', summary, data: JSON.stringify(data) });
  }

  /** History items, newest first. */
  history(name?: string): HistoryItem[] {
    const items = name === undefined ? [...this.#history.values()].flat() : (this.#history.get(name) ?? []);
    return [...items].sort((a, b) => b.timestamp - a.timestamp);
  }

  /** Schedules a save; call after every change. */
  changed(): void {
    this.#store.changed();
  }

  /** Saves what is pending and waits for it (at stop). */
  flush(): Promise<void> {
    return this.#store.flush();
  }

  #addHistory(item: HistoryItem): void {
    const items = this.#history.get(item.alarmName) ?? [];
    items.push(item);
    if (items.length > HISTORY_LIMIT) items.shift();
    this.#history.set(item.alarmName, items);
  }
}
