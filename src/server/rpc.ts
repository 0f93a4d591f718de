/**
 * Typed registration and sending of the custom messages of src/shared/protocol.ts.
 *
 * The shared message types are built with the top-level `vscode-languageserver-protocol` (3.18.5, on
 * vscode-jsonrpc 10), while `vscode-languageserver` 10.1 carries its own copy (3.18.4, on vscode-jsonrpc
 * 9). The two `RequestType` classes do not type-check against each other (separate private members), so
 * the server registers by method string here and keeps the parameter and result types of the shared
 * definitions. On the wire only the method string counts.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** Registers a handler for a request of the shared protocol. */
export function onRequest<P, R>(connection: Connection, type: RequestType<P, R, void>, handler: (params: P, token: CancellationToken) => R | Promise<R>): void {
  connection.onRequest(type.method, (params: P, token: CancellationToken): Promise<unknown> => Promise.resolve(handler(params, token)));
}

/** Registers a handler for a request without parameters. */
export function onRequest0<R>(connection: Connection, type: RequestType0<R, void>, handler: (token: CancellationToken) => R | Promise<R>): void {
  connection.onRequest(type.method, (token: CancellationToken): Promise<unknown> => Promise.resolve(handler(token)));
}

/** Registers a handler for a notification of the shared protocol. */
export function onNotification<P>(connection: Connection, type: NotificationType<P>, handler: (params: P) => void): void {
  connection.onNotification(type.method, (params: P) => handler(params));
}

/** Sends a notification of the shared protocol; a closed connection is ignored (the client is gone). */
export function sendNotification<P>(connection: Connection, type: NotificationType<P>, params: P): void {
  connection.sendNotification(type.method, params).catch(() => {});
}
