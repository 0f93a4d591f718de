/**
 * Entry point of the language server bundle (`dist/server.js`). The transport comes from the command
 * line, as vscode-languageserver's `createConnection` reads it: `--stdio` (any LSP client,
 * `node dist/server.js --stdio`), `--node-ipc` (the VS Code extension) or `--socket=<port>`.
 * With `--stdio`, stdout carries the protocol: the server writes nothing else there (`console.log` is
 * redirected to the client's log by the connection).
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
