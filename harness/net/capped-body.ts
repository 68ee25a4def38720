/**
 * Reading an HTTP answer's body with a byte cap, and decoding it as UTF-8 with a count of what the decoder
 * replaced. Past the cap nothing more is read: the body stream is destroyed (the socket goes with it), so a
 * 200 MB answer costs at most the cap in memory whatever the concurrency, and the caller records
 * `response_too_large` with the head. Invalid byte sequences become U+FFFD as everywhere in Node, but the
 * count is kept, so a record can say its raw text is not byte for byte what the server sent.
 */

/** Default of the suite's `limits.response_bytes` (README, "Limits"): far above any real tool answer. */
export const DEFAULT_RESPONSE_BYTES = 16 * 1024 * 1024;

/** A body stream as undici gives it: bytes, and a way to stop reading (which releases the connection). */
export type BodyStream = AsyncIterable<Uint8Array> & { destroy?: (err?: Error) => unknown };

export interface CappedText {
  text: string;
  /** Bytes received (past the cap: up to the cap plus the chunk that crossed it). */
  bytes: number;
  /** The body went past the cap: `text` is its head, cut back to a whole UTF-8 character. */
  over: boolean;
  /** Invalid UTF-8 sequences replaced by U+FFFD in `text` (a U+FFFD the sender itself wrote is not counted). */
  replaced: number;
}

export function readCapped(body: BodyStream, maxBytes: number): Promise<CappedText> {
  // A Node stream (undici's body) is read through its events: `for await` makes an async generator, a promise per
  // chunk and end-of-stream listeners for every answer (~3 KB of garbage and several microtask turns a call).
  if (typeof (body as Partial<NodeJS.ReadableStream>).on === 'function') return readCappedEvents(body as BodyStream & NodeJS.ReadableStream, maxBytes);
  return readCappedIterating(body, maxBytes);
}

function capped(parts: Buffer[], bytes: number, over: boolean, maxBytes: number): CappedText {
  const all = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const kept = over ? all.subarray(0, wholeCharEnd(all, maxBytes)) : all;
  const text = kept.toString('utf8');
  return { text, bytes, over, replaced: replacedIn(text, kept) };
}

function readCappedEvents(body: BodyStream & NodeJS.ReadableStream, maxBytes: number): Promise<CappedText> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let bytes = 0;
    const done = (over: boolean) => {
      body.removeListener('data', onData);
      body.removeListener('end', onEnd);
      body.removeListener('error', onError);
      resolve(capped(parts, bytes, over, maxBytes));
    };
    const onData = (chunk: Uint8Array) => {
      parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        // Not draining the rest is the point: destroying the stream closes the connection (it cannot be reused).
        done(true);
        body.on('error', () => undefined); // a destroyed body may still report its abort; nobody waits for it
        body.destroy?.();
      }
    };
    const onEnd = () => done(false);
    const onError = (err: Error) => {
      body.removeListener('data', onData);
      body.removeListener('end', onEnd);
      reject(err);
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
  });
}

async function readCappedIterating(body: BodyStream, maxBytes: number): Promise<CappedText> {
  const parts: Buffer[] = [];
  let bytes = 0;
  let over = false;
  for await (const chunk of body) {
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      over = true;
      body.destroy?.();
      break;
    }
  }
  return capped(parts, bytes, over, maxBytes);
}

/**
 * The body's chunks up to the cap, for readers that consume a stream themselves (SSE): past the cap the
 * stream is destroyed and `state.over` set; the reader sees an early end and the caller checks the state.
 */
export async function* cappedChunks(body: BodyStream, maxBytes: number, state: { bytes: number; over: boolean }): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    const before = state.bytes;
    state.bytes += chunk.byteLength;
    if (state.bytes > maxBytes) {
      state.over = true;
      body.destroy?.();
      // The part of the crossing chunk within the cap still counts: a server that sends everything at once has a head too.
      if (maxBytes > before) yield chunk.subarray(0, maxBytes - before);
      return;
    }
    yield chunk;
  }
}

/** UTF-8 text of `buf` and how many invalid sequences became U+FFFD. */
export function decodeCounted(buf: Buffer): { text: string; replaced: number } {
  const text = buf.toString('utf8');
  return { text, replaced: replacedIn(text, buf) };
}

const FFFD_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

/** U+FFFD in the text minus the U+FFFD the bytes spelled out: the ones the decoder made. Fast when there is none. */
export function replacedIn(text: string, bytes: Buffer): number {
  let inText = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) inText++;
  if (inText === 0) return 0;
  let sent = 0;
  for (let i = bytes.indexOf(FFFD_BYTES); i >= 0; i = bytes.indexOf(FFFD_BYTES, i + 3)) sent++;
  return inText - sent;
}

/**
 * A streaming UTF-8 decoder that counts replacements across chunk boundaries: a character split between two
 * chunks is decoded whole (TextDecoder's stream mode), and a sent U+FFFD split between chunks is still found
 * (the last two bytes of each chunk are searched with the next).
 */
export class CountingDecoder {
  replaced = 0;
  readonly #decoder = new TextDecoder('utf-8');
  #tail: Buffer = Buffer.alloc(0);

  decode(chunk: Uint8Array): string {
    const text = this.#decoder.decode(chunk, { stream: true });
    if (text.includes('\uFFFD')) this.#count(text, chunk);
    this.#tail = Buffer.from(chunk.subarray(Math.max(0, chunk.byteLength - 2)));
    return text;
  }

  end(): string {
    const text = this.#decoder.decode();
    this.replaced += text.length; // the flush yields only U+FFFD, one per sequence the body cut short
    return text;
  }

  #count(text: string, chunk: Uint8Array): void {
    const bytes = Buffer.concat([this.#tail, chunk]);
    let inText = 0;
    for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) inText++;
    // A sent U+FFFD that starts in the previous chunk's last two bytes ends in this one: its text is this chunk's.
    let sent = 0;
    for (let i = bytes.indexOf(FFFD_BYTES); i >= 0; i = bytes.indexOf(FFFD_BYTES, i + 3)) sent++;
    this.replaced += Math.max(0, inText - sent);
  }
}

/** The largest end <= `max` that does not cut a UTF-8 character in two (a cut one would decode as U+FFFD). */
function wholeCharEnd(buf: Buffer, max: number): number {
  let end = Math.min(max, buf.length);
  if (end === buf.length) return end;
  // Step back over continuation bytes (10xxxxxx) to the lead byte of the character that crosses `end`.
  let lead = end;
  while (lead > 0 && end - lead < 4 && (buf[lead] & 0xc0) === 0x80) lead--;
  return lead;
}

/** The error of an answer cut at the cap: says which limit, how far it read, and that the record keeps the head. */
export function tooLargeError(maxBytes: number, bytes: number): { class: 'response_too_large'; message: string } {
  return {
    class: 'response_too_large',
    message: `the answer is larger than limits.response_bytes (${maxBytes.toLocaleString('en-US')} bytes): reading stopped after ${bytes.toLocaleString('en-US')} bytes; the record keeps the head`,
  };
}
