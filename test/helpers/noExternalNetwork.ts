import net from 'node:net';

/**
 * Tests never reach the internet: any socket to an address outside this machine throws,
 * so a test that would call Twilio or download something fails loudly instead.
 */
const LOCAL = /^(127\.|::1$|localhost$|::ffff:127\.)/;
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string;
  const host = typeof first === 'object' && first !== null ? (first.path ? 'localhost' : first.host ?? 'localhost') : typeof args[1] === 'string' ? args[1] : 'localhost';
  if (!LOCAL.test(host)) throw new Error(`Test tried to open a network connection to ${host}: tests must stay on this machine`);
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
