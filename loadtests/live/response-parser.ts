/**
 * An incremental HTTP/1.1 response reader that finds where each response ends and its status, and
 * nothing more: bodies are skipped, headers other than the framing ones are not kept.
 *
 * Why not node:http: its client costs about 2.5× autocannon's per request on loopback (measured in
 * tools/bench/live.ts), and a load generator that is slower than the server measures itself. Framing
 * follows RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304; chunked wins over Content-Length;
 * otherwise Content-Length; otherwise the body runs until the server closes the connection.
 */

const HEAD_END = Buffer.from('\r\n\r\n');
const LINE_END = Buffer.from('\r\n');
/** A response head larger than this is treated as garbage rather than buffered forever. */
const MAX_HEAD_BYTES = 64 * 1024;

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'until-close';

export class ProtocolError extends Error {
  readonly code = 'EPROTO';
}

export class ResponseParser {
  private state: State = 'head';
  private pending: Buffer | null = null;
  private remaining = 0;
  private status = 0;
  private keepAlive = true;
  /** Set before a HEAD request's response is read: its Content-Length describes no bytes. */
  headRequest = false;
  /** Bytes seen since the last complete response: a connection that dies before any may be retried. */
  bytesSinceResponse = 0;

  constructor(private readonly onResponse: (status: number, keepAlive: boolean) => void) {}

  /** Reads what arrived; calls `onResponse` for each response that ends in it. Throws ProtocolError. */
  feed(chunk: Buffer): void {
    this.bytesSinceResponse += chunk.length;
    let data = chunk;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let offset = 0;
    while (offset < data.length) {
      switch (this.state) {
        case 'head': {
          const end = data.indexOf(HEAD_END, offset);
          if (end < 0) {
            this.keep(data, offset);
            return;
          }
          this.readHead(data.toString('latin1', offset, end));
          offset = end + 4;
          break;
        }
        case 'length':
        case 'chunk-data':
        case 'chunk-crlf': {
          const take = Math.min(this.remaining, data.length - offset);
          offset += take;
          this.remaining -= take;
          if (this.remaining === 0) this.afterBodyPart();
          break;
        }
        case 'chunk-size':
        case 'trailers': {
          const end = data.indexOf(LINE_END, offset);
          if (end < 0) {
            this.keep(data, offset);
            return;
          }
          this.readLine(data.toString('latin1', offset, end));
          offset = end + 2;
          break;
        }
        case 'until-close':
          return;
      }
    }
  }

  /** The connection closed: true when that ended a response whose body ran until close. */
  close(): boolean {
    if (this.state !== 'until-close') return false;
    this.complete();
    return true;
  }

  private keep(data: Buffer, offset: number): void {
    if (data.length - offset > MAX_HEAD_BYTES)
      throw new ProtocolError('response head or chunk line too long');
    this.pending = Buffer.from(data.subarray(offset));
  }

  private readHead(head: string): void {
    const lines = head.split('\r\n');
    const match = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
    if (!match)
      throw new ProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]?.slice(0, 40))}`);
    const status = Number(match[2]);
    let keepAlive = match[1] === '1';
    let contentLength = -1;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') contentLength = Number.parseInt(value, 10);
      else if (name === 'transfer-encoding')
        chunked = value.split(',').some((part) => part.trim() === 'chunked');
      else if (name === 'connection') {
        if (value.includes('close')) keepAlive = false;
        else if (value.includes('keep-alive')) keepAlive = true;
      }
    }
    if (status >= 100 && status < 200) return; // interim (100 Continue, 103): the real one follows
    this.status = status;
    this.keepAlive = keepAlive;
    if (this.headRequest || status === 204 || status === 304) this.complete();
    else if (chunked) this.state = 'chunk-size';
    else if (contentLength >= 0 && Number.isFinite(contentLength)) {
      this.remaining = contentLength;
      if (contentLength === 0) this.complete();
      else this.state = 'length';
    } else {
      this.keepAlive = false;
      this.state = 'until-close';
    }
  }

  private readLine(line: string): void {
    if (this.state === 'trailers') {
      if (line === '') this.complete();
      return;
    }
    const size = Number.parseInt(line.split(';', 1)[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw new ProtocolError(`bad chunk size ${JSON.stringify(line)}`);
    if (size === 0) this.state = 'trailers';
    else {
      this.remaining = size;
      this.state = 'chunk-data';
    }
  }

  private afterBodyPart(): void {
    if (this.state === 'length') this.complete();
    else if (this.state === 'chunk-data') {
      this.state = 'chunk-crlf';
      this.remaining = 2;
    } else this.state = 'chunk-size';
  }

  private complete(): void {
    this.state = 'head';
    this.bytesSinceResponse = 0;
    this.onResponse(this.status, this.keepAlive);
  }
}
