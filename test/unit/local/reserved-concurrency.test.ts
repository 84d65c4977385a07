import { describe, expect, it } from 'vitest';
import { functionsModel } from '../../helpers/function-fixtures.js';

/** The fixture template with EchoFunction's ReservedConcurrentExecutions set to `value`. */
async function echoWith(value: unknown) {
  const model = await functionsModel((raw) => {
    const echo = raw.Resources.EchoFunction as { Properties: Record<string, unknown> };
    echo.Properties.ReservedConcurrentExecutions = value;
  });
  return model.functions.find((fn) => fn.logicalId === 'EchoFunction');
}

describe('Function: functionModel() ReservedConcurrentExecutions', () => {
  it('becomes reservedConcurrency, the limit of environments the runner keeps for the function', async () => {
    expect((await echoWith(3))?.reservedConcurrency).toBe(3);
    const model = await functionsModel();
    expect(model.functions.find((fn) => fn.logicalId === 'EchoFunction')).not.toHaveProperty(
      'reservedConcurrency',
    );
  });

  it('counts 0 (a function switched off) as 1: the local runner queues and would otherwise wait forever', async () => {
    expect((await echoWith(0))?.reservedConcurrency).toBe(1);
  });

  it('ignores what is not a whole number of at least 0', async () => {
    for (const value of [-1, 2.5, 'many', null]) {
      expect(await echoWith(value), String(value)).not.toHaveProperty('reservedConcurrency');
    }
  });
});
