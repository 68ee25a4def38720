/**
 * The environment test/run-tests.js gives the tests: colours off through NO_COLOR alone. FORCE_COLOR beside
 * it (uvu sets it unless told --no-color) made Node warn "The 'NO_COLOR' env is ignored" whenever anything
 * asked for the colour depth. cli-messages.test.ts runs this file through the runner and reads its stderr.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WriteStream } from 'node:tty';

test('the runner sets NO_COLOR and leaves FORCE_COLOR unset', () => {
  assert.is(process.env.NO_COLOR, '1');
  assert.is(process.env.FORCE_COLOR, undefined);
  // What a child process or a colour-aware library does: ask Node for the colour depth (this is where it warned).
  assert.is(WriteStream.prototype.getColorDepth.call({} as WriteStream, process.env), 1);
});

test.run();
