import { describe, expect, it } from 'vitest';
import { HttpStreamRules } from '../../../../functions/posts/adapters/x-api.js';

interface Call {
  method: string;
  body?: unknown;
  authorization: string | null;
}

/** The rules endpoint of X, in memory. */
function rulesEndpoint(rules: { id: string; value: string; tag?: string }[], refuse = false) {
  const calls: Call[] = [];
  const fetchImpl: typeof fetch = async (_url, init) => {
    const body = init?.body === undefined ? undefined : JSON.parse(String(init.body));
    calls.push({
      method: init?.method ?? 'GET',
      body,
      authorization: new Headers(init?.headers).get('authorization'),
    });
    if ((init?.method ?? 'GET') === 'GET')
      return Response.json({ data: rules, meta: { result_count: rules.length } });
    if (body.add && refuse)
      return Response.json(
        {
          errors: [{ title: 'UnprocessableEntity', details: ['no such operator'] }],
          meta: { summary: { created: 0 } },
        },
        { status: 201 },
      );
    if (body.add)
      return Response.json(
        { data: [{ id: '9', ...body.add[0] }], meta: { summary: { created: 1 } } },
        { status: 201 },
      );
    return Response.json({ meta: { summary: { deleted: body.delete.ids.length } } });
  };
  return { calls, rules: new HttpStreamRules('https://api.x.test', async () => 'token', fetchImpl) };
}

describe('Class: HttpStreamRules', () => {
  it('adds the query as a rule and deletes its own older rule, leaving other rules alone', async () => {
    const { calls, rules } = rulesEndpoint([
      { id: '1', value: '#aws', tag: 'kumo-posts' },
      { id: '2', value: '#cats', tag: 'someone-else' },
    ]);
    expect(await rules.ensure('#aws OR #lambda', 'kumo-posts')).toEqual({ added: 1, deleted: 1 });
    expect(calls.map((call) => [call.method, call.body])).toEqual([
      ['GET', undefined],
      ['POST', { add: [{ value: '#aws OR #lambda', tag: 'kumo-posts' }] }],
      ['POST', { delete: { ids: ['1'] } }],
    ]);
    expect(calls.every((call) => call.authorization === 'Bearer token')).toBe(true);
  });

  it('changes nothing when the rule is there already', async () => {
    const { calls, rules } = rulesEndpoint([{ id: '1', value: '#aws', tag: 'kumo-posts' }]);
    expect(await rules.ensure('#aws', 'kumo-posts')).toEqual({ added: 0, deleted: 0 });
    expect(calls).toHaveLength(1);
  });

  it('says why X refused the rule', async () => {
    const { rules } = rulesEndpoint([], true);
    await expect(rules.ensure('#aws bad:operator', 'kumo-posts')).rejects.toThrow(
      /X refused the stream rule: UnprocessableEntity no such operator/,
    );
  });
});
