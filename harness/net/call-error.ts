/**
 * Why a call produced no usable response: the one vocabulary every HTTP client (model servers, retrievers,
 * web search) and every target uses, so records of a real tool and of a simulator read the same.
 * `null` in an Observation means the backend answered; whether the answer is any good is the scorers' business.
 */
export type ErrorClass =
  | 'timeout'
  | 'connection' // refused, reset, DNS
  | 'http_4xx'
  | 'http_429'
  | 'http_5xx'
  | 'bad_response' // the server answered 2xx with something that is not the protocol (garbage body, no choices)
  | 'response_too_large' // the body passed the suite's limits.response_bytes: read no further (net/capped-body.ts)
  | 'tool_failure' // a real tool or baseline threw (its message says why)
  | 'not_configured'
  | 'aborted';

export interface CallError {
  class: ErrorClass;
  message: string;
  status?: number;
}
