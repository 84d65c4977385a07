/**
 * What a run costs in DynamoDB: requests by operation and the capacity units DynamoDB reports. A
 * middleware on the client asks for `ReturnConsumedCapacity: TOTAL` and adds up what comes back, so the
 * checker can log (and the benchmark print) its requests and write units per run.
 */
import type { MiddlewareStack } from '@smithy/types';

/** Requests and consumed capacity since the last {@link DynamoUsage.reset}. */
export interface DynamoUsageReport {
  /** Requests sent (retries by the SDK included, as DynamoDB bills them). */
  requests: number;
  byOperation: Record<string, number>;
  writeUnits: number;
  readUnits: number;
}

interface CapacityEntry {
  CapacityUnits?: number;
  WriteCapacityUnits?: number;
  ReadCapacityUnits?: number;
}

/** Operations that accept `ReturnConsumedCapacity`. */
const CAPACITY_OPERATIONS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
]);

const READ_OPERATIONS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

function units(entry: CapacityEntry): { read: number; write: number } {
  if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
    return { read: entry.ReadCapacityUnits ?? 0, write: entry.WriteCapacityUnits ?? 0 };
  }
  return { read: 0, write: entry.CapacityUnits ?? 0 };
}

/** Counts the requests of the clients it is {@link DynamoUsage.attach}ed to. */
export class DynamoUsage {
  private report: DynamoUsageReport = DynamoUsage.empty();

  private static empty(): DynamoUsageReport {
    return { requests: 0, byOperation: {}, writeUnits: 0, readUnits: 0 };
  }

  /** Start counting afresh (at the start of a run). */
  public reset(): void {
    this.report = DynamoUsage.empty();
  }

  /** What was counted since the last reset. */
  public snapshot(): DynamoUsageReport {
    return { ...this.report, byOperation: { ...this.report.byOperation } };
  }

  /** Count the low-level operation `commandName` and the capacity in its `output`. */
  public record(commandName: string, output: unknown): void {
    const report = this.report;
    report.requests += 1;
    const operation = commandName.replace(/Command$/, '');
    report.byOperation[operation] = (report.byOperation[operation] ?? 0) + 1;
    const consumed = (output as { ConsumedCapacity?: CapacityEntry | CapacityEntry[] } | undefined)
      ?.ConsumedCapacity;
    const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    for (const entry of entries) {
      const { read, write } = units(entry);
      // Reads report CapacityUnits alone: count them as read units.
      if (READ_OPERATIONS.has(commandName)) report.readUnits += read + write;
      else {
        report.readUnits += read;
        report.writeUnits += write;
      }
    }
  }

  /** Add the counting middleware to a DynamoDB (or document) client's stack. */
  public attach<Input extends object, Output extends object>(stack: MiddlewareStack<Input, Output>): void {
    stack.add(
      (next, context) => async (args) => {
        const commandName = String((context as { commandName?: unknown }).commandName ?? 'Unknown');
        const input = args.input as { ReturnConsumedCapacity?: string };
        if (CAPACITY_OPERATIONS.has(commandName) && input.ReturnConsumedCapacity === undefined) {
          input.ReturnConsumedCapacity = 'TOTAL';
        }
        try {
          const result = await next(args);
          this.record(commandName, result.output);
          return result;
        } catch (error) {
          // A failed request (a condition that did not hold) is still a request, and still billed.
          this.record(commandName, undefined);
          throw error;
        }
      },
      { step: 'initialize', name: 'kumoDynamoUsage', override: true },
    );
  }
}
