/**
 * X-Ray segment documents, as the X-Ray SDKs send them to the daemon and as the local cloud records its
 * own (API Gateway, Lambda). Only the fields the local cloud reads are typed; the rest pass through.
 * Times are epoch seconds with fractions, as in X-Ray.
 */
export interface SegmentDocument {
  id: string;
  name: string;
  trace_id?: string;
  parent_id?: string;
  /** `subsegment` for a subsegment sent on its own (Lambda streams them one by one). */
  type?: string;
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  /** `AWS::Lambda`, `AWS::Lambda::Function`, `AWS::ApiGateway::Stage`... (segments only). */
  origin?: string;
  /** `aws` for an AWS SDK call, `remote` for other HTTP calls (subsegments). */
  namespace?: string;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  http?: {
    request?: { method?: string; url?: string; client_ip?: string; user_agent?: string };
    response?: { status?: number; content_length?: number };
  };
  aws?: Record<string, unknown>;
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, unknown>;
  cause?: { exceptions?: { message?: string; type?: string }[] } | string;
  subsegments?: SegmentDocument[];
}
