/** Entry point: read the config, start one node, stop it on a signal. */
import { loadConfigOrExit } from './config';
import { createServer } from './server';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const node = await createServer(config);
  await new Promise<void>((resolve, reject) => {
    node.httpServer.once('error', reject);
    node.httpServer.listen(config.port, config.host, resolve);
  });
  node.logger.info({ host: config.host, port: config.port }, `listening on http://${config.host}:${config.port}`);

  // SIGTERM (orchestrators, rolling restarts) drains; SIGINT (a terminal) stops at once.
  const stop = (signal: NodeJS.Signals): void => {
    node.logger.info({ signal }, 'shutting down');
    (signal === 'SIGTERM' ? node.drain() : node.close()).then(
      () => process.exit(0),
      (err: unknown) => {
        node.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // A failure nobody awaited is logged, never fatal: the node keeps serving.
  process.on('unhandledRejection', (err) => node.logger.error({ err }, 'unhandled rejection'));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`parley: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
