import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/** Twilio's own OpenAPI contract, beside this repository in ../shared (see DEVELOPERS.md). */
export const TWILIO_SPEC = path.resolve('..', 'shared', 'twilio-oai', 'twilio_api_v2010.json');

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Starts one Prism mock of Twilio's API for the whole run. Dynamic mode, so every created
 * message gets its own valid SID, as with the real API.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(TWILIO_SPEC)) {
    throw new Error(`Twilio's OpenAPI spec is missing at ${TWILIO_SPEC}; the outbox contract tests need it (../shared/twilio-oai).`);
  }
  const port = await freePort();
  const bin = path.resolve('node_modules', '.bin', 'prism');
  const prism: ChildProcess = spawn(bin, ['mock', '--dynamic', '--host', '127.0.0.1', '--port', String(port), TWILIO_SPEC], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start within 60 s:\n${output.slice(-2000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    prism.stdout?.on('data', onData);
    prism.stderr?.on('data', onData);
    prism.on('exit', (code) => reject(new Error(`Prism exited with ${code}:\n${output.slice(-2000)}`)));
  });
  project.provide('prismUrl', `http://127.0.0.1:${port}`);
  return () => {
    prism.kill('SIGTERM');
  };
}
