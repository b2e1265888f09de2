/**
 * Keep-alive HTTP/1.1 connections to one target, over raw sockets, one request at a time per
 * connection (no pipelining: a pipelined server answers in order, so one slow response would delay
 * others behind it and hide where the time went).
 *
 * A request takes an idle connection, else opens a new one while fewer than `maxConnections` exist,
 * else waits in a FIFO queue. Waiting is part of its latency: the runner times every request from its
 * scheduled send time, so a client short of connections shows up in the numbers instead of hiding
 * behind them (no coordinated omission).
 */

import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { ResponseParser } from './response-parser.ts';
import { connectHost, connectPort, type LiveTarget } from './target.ts';

/** The runner's per-request record; the client only reads `payload` and fills `connection`. */
export interface ClientRequest {
  /** Index into the serialised requests (round-robin bodies). */
  payload: number;
  /** Set by the runner when the request has an outcome (served, failed, timed out). */
  done: boolean;
  /** A stale keep-alive connection may close under a request before any byte returns: retried once. */
  retried: boolean;
  connection: Connection | null;
}

export interface ClientEvents<R extends ClientRequest> {
  /** The request's bytes were handed to a socket. */
  sent(request: R): void;
  response(request: R, status: number): void;
  error(request: R, code: string): void;
}

/**
 * Connection attempts in progress at most: a slow server (or one still warming up) must not be
 * answered with thousands of simultaneous handshakes, which would slow it further.
 */
const MAX_PARALLEL_CONNECTS = 128;

export class Connection {
  current: ClientRequest | null = null;
  responses = 0;
  connected = false;
  closed = false;
  constructor(
    readonly socket: Socket,
    readonly parser: ResponseParser,
  ) {}
}

export class TargetClient<R extends ClientRequest> {
  private readonly idle: Connection[] = [];
  private readonly waiting: (R | undefined)[] = [];
  private waitingHead = 0;
  /** Connections open or opening, and of those, still opening. */
  open = 0;
  private connecting = 0;
  /** Connections ever opened: a keep-alive client should open few. */
  opened = 0;

  constructor(
    private readonly target: LiveTarget,
    private readonly payloads: readonly Buffer[],
    private readonly maxConnections: number,
    private readonly events: ClientEvents<R>,
    private readonly headRequest = false,
  ) {}

  /**
   * Sends on an idle connection, or queues the request and opens a connection for it while fewer are
   * opening than requests wait. Whichever connection is free first (new or reused) takes the oldest
   * waiting request; opening one connection per request instead would spiral under load (each slower
   * connect leaves more requests without a connection, which open more).
   */
  submit(request: R): void {
    const connection = this.idle.pop();
    if (connection) {
      this.write(connection, request);
      return;
    }
    this.waiting.push(request);
    this.grow();
  }

  /** Gives up on a request (its deadline passed): a request on the wire takes its connection with it. */
  abort(request: R): void {
    const connection = request.connection;
    if (connection && connection.current === request) {
      connection.current = null;
      this.discard(connection);
      this.grow();
    }
    // A waiting request is skipped when it reaches the head of the queue (`done` is set by the runner).
  }

  close(): void {
    for (const connection of this.idle.splice(0)) this.discard(connection);
  }

  private grow(): void {
    const wanted = Math.min(this.waiting.length - this.waitingHead, MAX_PARALLEL_CONNECTS);
    while (this.open < this.maxConnections && this.connecting < wanted) this.connect();
  }

  private connect(): void {
    const url = this.target.url;
    const host = connectHost(url);
    const port = connectPort(url);
    const tls = url.protocol === 'https:';
    const socket = tls
      ? connectTls({
          host,
          port,
          ...(isIP(host) ? {} : { servername: url.hostname }),
          ALPNProtocols: ['http/1.1'],
        })
      : connectTcp({ host, port });
    socket.setNoDelay(true);
    const parser = new ResponseParser((status, keepAlive) => this.onResponse(connection, status, keepAlive));
    parser.headRequest = this.headRequest;
    const connection = new Connection(socket, parser);
    this.open += 1;
    this.connecting += 1;
    this.opened += 1;
    socket.once(tls ? 'secureConnect' : 'connect', () => {
      connection.connected = true;
      this.connecting -= 1;
      this.next(connection);
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        parser.feed(chunk);
      } catch (error) {
        this.onBroken(connection, (error as { code?: string }).code ?? 'EPROTO');
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.onBroken(connection, error.code ?? 'ESOCKET'));
    socket.on('close', () => {
      if (parser.close()) return; // the body ran until close: that was the response
      this.onBroken(connection, 'ECONNRESET');
    });
  }

  private write(connection: Connection, request: R): void {
    connection.current = request;
    request.connection = connection;
    connection.socket.write(this.payloads[request.payload]!);
    this.events.sent(request);
  }

  private onResponse(connection: Connection, status: number, keepAlive: boolean): void {
    const request = connection.current as R | null;
    connection.current = null;
    connection.responses += 1;
    // Free the connection first: the response callback may send requests that have come due, and
    // they should find it idle rather than open another.
    if (!keepAlive) {
      this.discard(connection);
      this.grow();
    } else if (!connection.closed) this.next(connection);
    if (request) this.events.response(request, status);
  }

  /** Gives a free connection the oldest request still waiting, or parks it as idle. */
  private next(free: Connection): void {
    while (this.waitingHead < this.waiting.length) {
      const request = this.waiting[this.waitingHead]!;
      this.consumeWaiting();
      if (!request.done) {
        this.write(free, request);
        return;
      }
    }
    this.idle.push(free);
  }

  private consumeWaiting(): void {
    this.waiting[this.waitingHead] = undefined;
    this.waitingHead += 1;
    if (this.waitingHead === this.waiting.length) {
      this.waiting.length = 0;
      this.waitingHead = 0;
    } else if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead);
      this.waitingHead = 0;
    }
  }

  private requeueFirst(request: R): void {
    if (this.waitingHead > 0) this.waiting[--this.waitingHead] = request;
    else this.waiting.unshift(request);
  }

  /**
   * A connection died. Its request fails, except once when a reused keep-alive connection closes
   * before any byte of the answer (the server timed it out as we wrote: a retry is what browsers do).
   * A connection that never connected fails the oldest waiting request, which it was opened for.
   */
  private onBroken(connection: Connection, code: string): void {
    if (connection.closed) return;
    if (!connection.connected) this.connecting -= 1;
    const request = (connection.current ?? (connection.connected ? null : this.takeWaiting())) as R | null;
    connection.current = null;
    this.discard(connection);
    if (request && !request.done) {
      const stale = connection.responses > 0 && connection.parser.bytesSinceResponse === 0;
      if (stale && !request.retried) {
        request.retried = true;
        request.connection = null;
        this.requeueFirst(request);
      } else this.events.error(request, code);
    }
    this.grow();
  }

  private takeWaiting(): R | null {
    while (this.waitingHead < this.waiting.length) {
      const request = this.waiting[this.waitingHead]!;
      this.consumeWaiting();
      if (!request.done) return request;
    }
    return null;
  }

  private discard(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    this.open -= 1;
    const index = this.idle.indexOf(connection);
    if (index >= 0) this.idle.splice(index, 1);
    connection.socket.destroy();
  }
}
