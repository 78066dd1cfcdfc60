/** What the server knows about the connection a request came on. */
export interface ClientInfo {
  /** Remote IP address; keys the rate limit and identifies loopback. */
  clientAddress?: string | undefined;
}

/**
 * One route's answer to a request: the shape every route module's factory returns, and what
 * the collector's route table holds.
 */
export type CollectorRoute = (request: Request, client: ClientInfo) => Response | Promise<Response>;
