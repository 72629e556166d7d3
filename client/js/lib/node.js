// Starts a throwaway `energy-node --dev --tmp` for one test file and stops it again.
//
// Every test file gets its own node on free ports, so files never share chain state and can
// run on a machine where another node (for example `scripts/dev.sh` on 9944) is running. The
// node's output goes to a log file (client/js/logs/<name>.log unless ENERGY_JS_LOG_DIR says
// otherwise); when the node dies early or a test fails, the test prints its last lines.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The node binary: $ENERGY_NODE_BIN (scripts/env.sh exports it) or the default release build. */
export function nodeBinary() {
  return (
    process.env.ENERGY_NODE_BIN ||
    path.join(os.homedir(), '.cache', 'energy-chain', 'target', 'release', 'energy-node')
  );
}

/** A TCP port that was free a moment ago: the OS picks it for a listener on port 0. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The last `lines` lines of a file ('' if it cannot be read). */
export function tailOf(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** One JSON-RPC call over HTTP (the node serves HTTP and WebSocket on the same port). */
export async function rpcHttp(port, method, params = []) {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = await response.json();
  if (body.error) {
    throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  }
  return body.result;
}

// Nodes still running when this process exits, however it exits: they are stopped then.
const running = new Set();
let exitHandlersInstalled = false;

function installExitHandlers() {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  // 'exit' runs synchronously: a signal is all that can still be sent.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGTERM');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGTERM');
      process.exit(128 + os.constants.signals[signal]);
    });
  }
}

/**
 * A running dev node.
 *
 * `start()` spawns `energy-node --dev --tmp` with its JSON-RPC server, p2p listener on free
 * ports (no Prometheus, no telemetry, no mDNS), and resolves once the node has answered
 * JSON-RPC and imported block #1, i.e. Aura is authoring and transactions will be included.
 */
export class DevNode {
  constructor(name) {
    this.name = name;
    this.binary = nodeBinary();
    const logDir = process.env.ENERGY_JS_LOG_DIR || path.join(PACKAGE_DIR, 'logs');
    fs.mkdirSync(logDir, { recursive: true });
    this.logFile = path.join(logDir, `${name}.log`);
    this.child = null;
    this.exited = null; // the exit code or signal once the process ended
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.rpcPort}`;
  }

  async start({ timeoutMs = 60_000 } = {}) {
    if (!fs.existsSync(this.binary)) {
      throw new Error(
        `energy-node not found at ${this.binary}: build it (cargo build --release -p energy-node) ` +
          'or point ENERGY_NODE_BIN at it',
      );
    }
    this.rpcPort = await freePort();
    const p2pPort = await freePort();
    const args = [
      '--dev',
      '--tmp',
      '--no-telemetry',
      '--no-mdns',
      '--no-prometheus',
      '--rpc-port',
      String(this.rpcPort),
      '--port',
      String(p2pPort),
    ];
    const log = fs.openSync(this.logFile, 'w');
    fs.writeSync(log, `$ ${this.binary} ${args.join(' ')}\n`);
    installExitHandlers();
    this.child = spawn(this.binary, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log); // the child has its own descriptor
    running.add(this.child);
    this.child.on('exit', (code, signal) => {
      this.exited = code ?? signal;
      running.delete(this.child);
    });

    const deadline = Date.now() + timeoutMs;
    let lastError = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.exited !== null) {
        throw new Error(
          `energy-node exited (${this.exited}) before it served JSON-RPC; log ${this.logFile}:\n` +
            tailOf(this.logFile),
        );
      }
      try {
        const header = await rpcHttp(this.rpcPort, 'chain_getHeader');
        if (parseInt(header.number, 16) >= 1) return this;
        lastError = `best block is #${parseInt(header.number, 16)}`;
      } catch (error) {
        lastError = error.message;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await this.stop();
    throw new Error(
      `energy-node did not author block #1 within ${timeoutMs} ms (${lastError}); ` +
        `log ${this.logFile}:\n${tailOf(this.logFile)}`,
    );
  }

  /** Stops the node: SIGTERM (it removes its --tmp database), SIGKILL after 10 s. */
  async stop() {
    const child = this.child;
    if (!child || this.exited !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Prints where the log is and its last lines, to stderr, once (for a failed test). */
  printLogTail(lines = 60) {
    if (this.printedLog) return;
    this.printedLog = true;
    process.stderr.write(
      `\n--- ${this.name}: last ${lines} lines of ${this.logFile} ---\n` +
        `${tailOf(this.logFile, lines)}\n--- end of log ---\n`,
    );
  }
}
