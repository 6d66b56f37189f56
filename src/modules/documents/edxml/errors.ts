/**
 * A package refused as QCVN 102 says: status 02, with the reason naming the element. Never
 * repaired with guesses.
 */
export class EdxmlError extends Error {
  readonly status = '02';
  constructor(
    /** The element (path) at fault, e.g. `MessageHeader/PromulgationInfo/PromulgationDate`. */
    readonly element: string,
    readonly reason: string,
  ) {
    super(`${element}: ${reason}`);
  }
}
