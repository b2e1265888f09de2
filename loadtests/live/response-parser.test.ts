import { describe, expect, it } from 'vitest';
import { ProtocolError, ResponseParser } from './response-parser.ts';

function parse(chunks: string[], head = false) {
  const seen: [number, boolean][] = [];
  const parser = new ResponseParser((status, keepAlive) => seen.push([status, keepAlive]));
  parser.headRequest = head;
  for (const chunk of chunks) parser.feed(Buffer.from(chunk, 'latin1'));
  return { seen, parser };
}

/** Every way of cutting `text` in two: a response must parse the same whatever the packet boundaries. */
function everySplit(text: string): string[][] {
  return Array.from({ length: text.length - 1 }, (_, i) => [text.slice(0, i + 1), text.slice(i + 1)]);
}

describe('ResponseParser', () => {
  const lengthResponse = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello';
  const chunked =
    'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n';

  it('ends a Content-Length body, however the bytes are split', () => {
    for (const chunks of everySplit(lengthResponse)) expect(parse(chunks).seen).toEqual([[200, true]]);
  });

  it('ends a chunked body with trailers, however the bytes are split', () => {
    for (const chunks of everySplit(chunked)) expect(parse(chunks).seen).toEqual([[201, true]]);
  });

  it('reads back-to-back responses in one chunk', () => {
    expect(parse([lengthResponse + chunked + lengthResponse]).seen).toEqual([
      [200, true],
      [201, true],
      [200, true],
    ]);
  });

  it('honours Connection: close and HTTP/1.0', () => {
    expect(parse(['HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 0\r\n\r\n']).seen).toEqual([
      [503, false],
    ]);
    expect(parse(['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n']).seen).toEqual([[200, false]]);
    expect(parse(['HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n']).seen).toEqual([
      [200, true],
    ]);
  });

  it('knows bodies that are not there: HEAD, 204, 304, and skips 1xx', () => {
    expect(parse(['HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n'], true).seen).toEqual([[200, true]]);
    expect(parse(['HTTP/1.1 204 No Content\r\n\r\n']).seen).toEqual([[204, true]]);
    expect(parse(['HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n']).seen).toEqual([[304, true]]);
    expect(parse(['HTTP/1.1 100 Continue\r\n\r\n', lengthResponse]).seen).toEqual([[200, true]]);
  });

  it('a body without length runs until the connection closes', () => {
    const { seen, parser } = parse(['HTTP/1.1 200 OK\r\n\r\nsome bytes', ' and more']);
    expect(seen).toEqual([]);
    expect(parser.close()).toBe(true);
    expect(seen).toEqual([[200, false]]);
  });

  it('refuses what is not HTTP/1.x', () => {
    expect(() => parse(['SSH-2.0-OpenSSH\r\n\r\n'])).toThrow(ProtocolError);
    expect(() => parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'])).toThrow(
      /bad chunk size/,
    );
  });

  it('counts bytes since the last response (a stale keep-alive connection is retried only before any)', () => {
    const { parser } = parse([lengthResponse]);
    expect(parser.bytesSinceResponse).toBe(0);
    parser.feed(Buffer.from('HTTP/1.1 2'));
    expect(parser.bytesSinceResponse).toBe(10);
  });
});
