import type { EndpointState } from './endpoint-state.js';
import type { Params, XmlValue } from './query-protocol.js';

// What every action handler gets, and what a service looks like to the router.

export interface ActionContext {
  /** Form fields (query protocols); empty for JSON. */
  params: Params;
  /** Parsed body (JSON 1.1); empty for query protocols. */
  json: Record<string, unknown>;
  state: EndpointState;
  /** From the request's credential scope. */
  region: string;
  requestId: string;
}

export type ActionResult = Record<string, XmlValue>;
export type ActionHandler = (ctx: ActionContext) => ActionResult | void;

export type Protocol = 'query' | 'ec2' | 'json';

export interface ServiceDefinition {
  /** Signing name in the credential scope (`…/us-east-1/ec2/aws4_request`). */
  name: string;
  protocol: Protocol;
  /** XML namespace (query protocols) or the X-Amz-Target prefix (JSON). */
  namespace: string;
  /** API version sent in the `Version` form field (query protocols). */
  version?: string;
  actions: Record<string, ActionHandler>;
}
