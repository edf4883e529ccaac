// `backends` tells how to add what is missing: every package reported "not installed" comes with the
// command that adds it, in the text output and in --json.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliRunner } from '../../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'ts-cli-backends-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cli = cliRunner(join(root, 'data'));

interface Status {
  name: string;
  pkg?: string;
  available: boolean;
  reason?: string;
  hint?: string;
}

test('every backend or engine that is not installed says how to add it', async () => {
  const json = await cli('backends', '--json');
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as { statuses: Status[]; engines: Status[] };
  const missing = [...report.statuses, ...report.engines].filter((s) => s.reason === 'not installed');
  for (const s of missing) assert.match(s.hint ?? '', /^npm (install|ci)\b/, `${s.name} has no hint`);
  for (const s of [...report.statuses, ...report.engines].filter((x) => x.available)) assert.equal(s.hint, undefined, `${s.name} is available`);
  const text = await cli('backends');
  assert.equal(text.code, 0, text.stderr);
  for (const s of missing) assert.ok(text.stdout.includes(`${s.name}: ${s.hint}`), `text output lists the hint for ${s.name}`);
  if (missing.length) assert.match(text.stdout, /To add what is missing:/);
});
