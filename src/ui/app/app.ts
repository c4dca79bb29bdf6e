/**
 * The web app: the CLI's engine in a page. The controller (controller.ts) reads the link and the
 * forms and runs the mining glue (mining.ts) on Web Workers (threads.ts); the views show what comes
 * back. Served by `powlab pool`, the same page shows the pool's board and joins it (?join=NAME).
 */
import { AppController } from './controller.js';

void new AppController().start();
