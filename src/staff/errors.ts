import { HandoffError } from '../handoff/desk.js';

/** The desk's messages are written in Dutch for staff already. */
export function dutchMessage(err: HandoffError): string {
  return err.message;
}

export { HandoffError };
