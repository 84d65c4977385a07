import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lifecycleRules, lifecycleXml } from '../../../local/services/s3/lifecycle.js';
import { readTemplate } from '../../../local/template/index.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('Function: lifecycleRules()', () => {
  it('reads the rules of template.yaml’s PhotosBucket and writes them as S3 answers them', async () => {
    const model = await readTemplate(path.join(root, 'template.yaml'));
    const rules = lifecycleRules(model.resources.get('PhotosBucket')?.properties.LifecycleConfiguration);
    expect(rules).toEqual([
      { id: 'AbortIncompleteMultipartUploads', status: 'Enabled', abortIncompleteMultipartUploadDays: 1 },
      { id: 'ExpireUnprocessedUploads', status: 'Enabled', prefix: 'uploads/', expirationInDays: 1 },
    ]);
    expect(lifecycleXml(rules ?? [])).toContain(
      '<Rule><ID>ExpireUnprocessedUploads</ID><Filter><Prefix>uploads/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>',
    );
    expect(lifecycleRules(undefined)).toBeUndefined();
  });
});
