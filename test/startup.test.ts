import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client.js';

const run = promisify(execFile);

describe('first run', () => {
  it('`prisma migrate deploy` creates the SQLite database and its folder offline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ouderlijn-start-'));
    try {
      const url = `file:${path.join(dir, 'nested', 'ouderlijn.db')}`;
      await run(path.resolve('node_modules/.bin/prisma'), ['migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: url } });
      expect(existsSync(path.join(dir, 'nested', 'ouderlijn.db'))).toBe(true);
      const db = createDb(url);
      expect(await db.school.count()).toBe(0);
      await db.$disconnect();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run --silent classify', () => {
  it('writes one JSON object per input line, in order, with the fields INTENTS.md names', async () => {
    const child = execFile('npm', ['run', '--silent', 'classify'], { env: { ...process.env, DATABASE_URL: 'file:/nonexistent/never-opened.db' } });
    const lines = ['Hoeveel is de ouderbijdrage?', 'oğlum bugün hasta', 'STOP', 'my daughter is missing'];
    child.stdin!.end(lines.join('\n') + '\n');
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    await new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(null) : reject(new Error(`exit ${code}`)))));
    const rows = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.text)).toEqual(lines);
    for (const r of rows) expect(Object.keys(r)).toEqual(['text', 'language', 'route', 'intent', 'confidence']);
    expect(rows.map((r) => [r.language, r.route])).toEqual([['nl', 'answer'], ['tr', 'absence'], [expect.any(String), 'optout'], ['en', 'urgent']]);
    expect(rows[0].intent).toBe('parent_contribution');
  }, 60_000);
});
