export { IntrinsicError, NO_VALUE, resolveValue } from './intrinsics.js';
export { buildModel, type ReadTemplateOptions, readTemplate } from './read-template.js';
export type * from './types.js';
export { parseTemplateText } from './yaml.js';
