/**
 * The emulator kit: what every hand-written AWS service of the local cloud shares — the protocol
 * servers (AWS JSON, AWS Query, Smithy RPC v2 CBOR), the AWS error base class and the JSON store.
 * docs/local-cloud.md, "Adding a service with the kit", shows one end to end.
 */
export {
  type AwsOperation,
  type AwsServiceSpec,
  awsRequestListener,
  type KitErrors,
  type OperationContext,
} from './aws-server.js';
export { type CborProtocol, encodeCbor } from './cbor-protocol.js';
export { AwsError, type AwsErrorOptions, type Fault } from './errors.js';
export { isRecord, readBody, send } from './http.js';
export { type ErrorShape, type JsonProtocol, toJsonValue } from './json-protocol.js';
export { JsonStore, type JsonStoreOptions } from './json-store.js';
export {
  escapeXml,
  parseQueryParams,
  type QueryProtocol,
  type QueryRequest,
  queryErrorXml,
  queryResultXml,
  toXml,
} from './query-protocol.js';
