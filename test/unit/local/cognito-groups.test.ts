import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupsFromModel, webPool } from '../../../local/services/cognito/template-pools.js';
import { readTemplate } from '../../../local/template/index.js';

describe('Function: groupsFromModel()', () => {
  it("finds the template's operators group on the web app's pool, with Ref giving its name", async () => {
    const model = await readTemplate(path.resolve('template.yaml'));
    const groups = groupsFromModel(model);
    expect(groups).toEqual([
      expect.objectContaining({
        logicalId: 'OperatorsGroup',
        name: 'operators',
        userPoolId: webPool(model)?.pool.id,
      }),
    ]);
    expect(model.warnings.join('\n')).not.toContain('UserPoolGroup');
  });
});
