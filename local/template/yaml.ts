import { parse, type Tags } from 'yaml';

const SHORT_FORMS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Join',
  'If',
  'Select',
  'Split',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'Base64',
  'GetAZs',
  'ImportValue',
  'Cidr',
  'Length',
  'ToJsonString',
] as const;

function longName(short: string): string {
  return short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`;
}

/** YAML tags for every CloudFormation short form (`!Ref x` becomes `{ Ref: 'x' }`). */
function cloudFormationTags(): Tags {
  const tags: Tags = [];
  for (const short of SHORT_FORMS) {
    const key = longName(short);
    tags.push({
      tag: `!${short}`,
      // `!GetAtt A.B` is the scalar shorthand for `Fn::GetAtt: [A, B]`; attribute names may hold dots.
      resolve: (text: string) => {
        if (short !== 'GetAtt') return { [key]: text };
        const dot = text.indexOf('.');
        return { [key]: dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)] };
      },
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag: `!${short}`,
        collection,
        resolve: (node: { toJSON(): unknown }) => ({ [key]: node.toJSON() }),
      });
    }
  }
  return tags;
}

/** Parses a CloudFormation/SAM template written in YAML (or JSON), short-form tags included. */
export function parseTemplateText(text: string): unknown {
  return parse(text, { customTags: cloudFormationTags(), maxAliasCount: -1 });
}
