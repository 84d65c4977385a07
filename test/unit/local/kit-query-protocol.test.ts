import { describe, expect, it } from 'vitest';
import { parseQueryParams } from '../../../local/kit/index.js';

describe('Function: parseQueryParams()', () => {
  it('turns members into arrays and entries into maps, in numeric order', () => {
    const params = new URLSearchParams({
      Action: 'PublishBatch',
      Version: '2010-03-31',
      TopicArn: 'arn:t',
      'PublishBatchRequestEntries.member.2.Id': 'b',
      'PublishBatchRequestEntries.member.10.Id': 'j',
      'PublishBatchRequestEntries.member.1.Id': 'a',
      'PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name': 'kind',
      'PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType': 'String',
      'PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue': 'order',
      'Attributes.entry.1.key': 'FilterPolicy',
      'Attributes.entry.1.value': '{}',
    });
    expect(parseQueryParams(params)).toEqual({
      action: 'PublishBatch',
      input: {
        TopicArn: 'arn:t',
        PublishBatchRequestEntries: [
          { Id: 'a', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } },
          { Id: 'b' },
          { Id: 'j' },
        ],
        Attributes: { FilterPolicy: '{}' },
      },
    });
  });
});
