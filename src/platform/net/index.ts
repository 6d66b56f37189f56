export {
  Outbound,
  OutboundError,
  OutboundStatusError,
  OutboundTooLargeError,
  type OutboundRequest,
  type OutboundResponse,
  type OutboundStream,
} from './fetch.js';
export { isAllowedHost, isPublicAddress, parseAllowList, type OutboundPolicy } from './policy.js';
export { reachableAddress } from './address.js';
