/**
 * Why the server closed a socket. 1xxx are the protocol's own (RFC 6455 §7.4.1); 4xxx are
 * Starling's, stable for clients: reconnect after 1001/1011/1012, re-authenticate after 4001.
 */
export const CloseCode = {
  goingAway: 1001,
  internalError: 1011,
  serviceRestart: 1012,
  unauthorized: 4001,
  forbiddenOrigin: 4003,
  authTimeout: 4008,
  messageTooLarge: 4009,
  tooSlow: 4010,
  invalidMessage: 4400,
} as const
