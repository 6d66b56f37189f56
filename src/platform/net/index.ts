export {
  Outbound,
  OutboundError,
  OutboundStatusError,
  OutboundTooLargeError,
  type OutboundRequest,
  type OutboundResponse,
  type OutboundStream,
  publicLookup,
} from './fetch.js';
export { isAllowedHost, isPublicAddress, parseAllowList, refusedByName, type OutboundPolicy } from './policy.js';
export { reachableAddress } from './address.js';
export { webhookUrl } from './webhook-url.js';
