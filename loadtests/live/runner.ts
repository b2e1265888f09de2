/**
 * The live replayer's loop: an open model. Each arrival of the traffic profile is a request that leaves
 * at its scheduled time whether or not earlier ones have returned; its latency is measured from that
 * scheduled time, so a server that stalls (or a client that falls behind) is charged for every
 * request that waited, not only the one that was on the wire (no coordinated omission).
 *
 * Nothing is dropped silently: a request is, in the end, exactly one of served, failed, timed out, or
 * dropped (it could not be sent because `maxInFlight` requests were already outstanding).
 */

import { performance } from 'node:perf_hooks';
import type { ArrivalSource } from '../traffic/arrivals.ts';
import { type ClientRequest, type Connection, TargetClient } from './client.ts';
import { LiveRecorder } from './recorder.ts';
import { type RequestTemplate, serializeRequests } from './request.ts';
import type { LiveTarget } from './target.ts';

export interface LiveRunInput {
  targets: LiveTarget[];
  template: RequestTemplate;
  /** Arrival times in profile ms after the window start. */
  arrivals: ArrivalSource;
  /** Profile time ÷ speedup = wall time. */
  speedup: number;
  /** Length of the run in wall ms: the window ÷ speedup, or less when cut by --duration. */
  wallWindowMs: number;
  maxInFlight: number;
  /** Sockets per target; requests beyond wait for one (and their wait counts as latency). */
  connections: number;
  /** From the scheduled time: a request without its response by then is timed out. */
  timeoutMs: number;
  onProgress?: (progress: LiveProgress) => void;
  /** Stops sending; what is in flight is cancelled and counted as failed (`ECANCELED`). */
  signal?: AbortSignal;
}

export interface LiveProgress {
  elapsedSeconds: number;
  perTarget: { name: string; sent: number; served: number; inFlight: number; dropped: number }[];
}

export interface LiveRunMeasurement {
  target: LiveTarget;
  recorder: LiveRecorder;
  connectionsOpened: number;
}

export interface LiveRunOutput {
  runs: LiveRunMeasurement[];
  /** Wall ms from the start to the last outcome. */
  elapsedMs: number;
  stoppedEarly: boolean;
}

class LiveRequest implements ClientRequest {
  done = false;
  retried = false;
  sent = false;
  connection: Connection | null = null;
  constructor(
    readonly scheduledMs: number,
    readonly row: number,
    readonly payload: number,
  ) {}
}

interface TargetState {
  target: LiveTarget;
  recorder: LiveRecorder;
  client: TargetClient<LiveRequest>;
  inFlight: number;
  /** Outstanding requests in scheduled order, for the timeout sweep. */
  order: (LiveRequest | undefined)[];
  orderHead: number;
}

export function runLive(input: LiveRunInput): Promise<LiveRunOutput> {
  return new Promise((resolve) => new LiveRun(input, resolve).start());
}

class LiveRun {
  private readonly states: TargetState[];
  private readonly payloads: number;
  private startMs = 0;
  private sequence = 0;
  private dispatching = true;
  private stoppedEarly = false;
  private timer: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private lastProgressSecond = 0;

  constructor(
    private readonly input: LiveRunInput,
    private readonly resolve: (output: LiveRunOutput) => void,
  ) {
    this.payloads = input.template.bodies.length;
    this.states = input.targets.map((target) => this.stateFor(target));
  }

  private stateFor(target: LiveTarget): TargetState {
    const recorder = new LiveRecorder(this.input.wallWindowMs);
    const events = {
      sent: (request: LiveRequest) => {
        if (request.sent) return; // a retry on a fresh connection is the same request
        request.sent = true;
        const nowMs = this.now();
        recorder.send(request.row, nowMs - request.scheduledMs, nowMs);
      },
      response: (request: LiveRequest, status: number) =>
        this.finish(state, request, status >= 200 && status < 400 ? 'served' : 'failed', status),
      error: (request: LiveRequest, code: string) => this.finish(state, request, 'failed', code),
    };
    const payloads = serializeRequests(target, this.input.template);
    const head = this.input.template.method === 'HEAD';
    const state: TargetState = {
      target,
      recorder,
      client: new TargetClient<LiveRequest>(target, payloads, this.input.connections, events, head),
      inFlight: 0,
      order: [],
      orderHead: 0,
    };
    return state;
  }

  start(): void {
    this.startMs = performance.now();
    const sweepEveryMs = Math.max(5, Math.min(100, this.input.timeoutMs / 4));
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.input.signal?.addEventListener('abort', () => this.stop(), { once: true });
    if (this.input.signal?.aborted) this.stop();
    else this.tick();
  }

  private now(): number {
    return performance.now() - this.startMs;
  }

  /** Sends everything that is due, then sleeps until the next arrival. */
  private tick(): void {
    this.timer = null;
    if (!this.dispatching) return;
    if (!this.dispatchDue()) {
      this.endDispatch();
      return;
    }
    const waitMs = this.input.arrivals.nextMs / this.input.speedup - this.now();
    // Timers have 1 ms granularity; arrivals due sooner also go out when a response comes in (pump).
    this.timer = setTimeout(() => this.tick(), Math.max(1, Math.floor(waitMs)));
  }

  /**
   * Sends what has come due since the last tick, from a response's callback: a connection that just
   * freed up takes the next request now instead of idling until the next timer.
   */
  private pump(): void {
    if (!this.dispatching || this.dispatchDue()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.endDispatch();
  }

  /** Dispatches every arrival due by now; false when the schedule (or the window) is exhausted. */
  private dispatchDue(): boolean {
    const { arrivals, speedup, wallWindowMs } = this.input;
    const nowMs = this.now();
    for (;;) {
      const dueMs = arrivals.nextMs / speedup;
      if (!(dueMs < wallWindowMs)) return false;
      if (dueMs > nowMs) return true;
      arrivals.advance();
      for (const state of this.states) this.dispatch(state, dueMs);
    }
  }

  private dispatch(state: TargetState, scheduledMs: number): void {
    const row = state.recorder.rowOf(scheduledMs);
    state.recorder.schedule(row);
    if (state.inFlight >= this.input.maxInFlight) {
      state.recorder.drop(row);
      return;
    }
    const request = new LiveRequest(scheduledMs, row, this.sequence++ % this.payloads);
    state.inFlight += 1;
    state.order.push(request);
    state.client.submit(request);
  }

  private finish(
    state: TargetState,
    request: LiveRequest,
    outcome: 'served' | 'failed' | 'timedOut',
    detail: number | string,
  ): void {
    if (request.done) return;
    request.done = true;
    request.connection = null;
    state.inFlight -= 1;
    const nowMs = this.now();
    state.recorder.finish(request.row, outcome, nowMs - request.scheduledMs, nowMs, detail);
    if (this.dispatching) this.pump();
    else if (state.inFlight === 0) this.maybeDone();
  }

  /** Times out requests whose deadline passed, oldest first, and reports progress once a second. */
  private sweep(): void {
    const nowMs = this.now();
    for (const state of this.states) {
      while (state.orderHead < state.order.length) {
        const request = state.order[state.orderHead]!;
        if (!request.done) {
          if (nowMs - request.scheduledMs < this.input.timeoutMs) break;
          state.client.abort(request);
          this.finish(state, request, 'timedOut', '');
        }
        state.order[state.orderHead++] = undefined;
      }
      if (state.orderHead > 4096 && state.orderHead * 2 > state.order.length) {
        state.order.splice(0, state.orderHead);
        state.orderHead = 0;
      }
    }
    const second = Math.floor(nowMs / 1000);
    if (second > this.lastProgressSecond && this.input.onProgress) {
      this.lastProgressSecond = second;
      this.input.onProgress({
        elapsedSeconds: second,
        perTarget: this.states.map((state) => ({
          name: state.target.name,
          sent: state.recorder.sent,
          served: state.recorder.served,
          inFlight: state.inFlight,
          dropped: state.recorder.dropped,
        })),
      });
    }
  }

  private stop(): void {
    if (!this.dispatching) return;
    this.dispatching = false;
    this.stoppedEarly = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const state of this.states)
      for (let i = state.orderHead; i < state.order.length; i++) {
        const request = state.order[i];
        if (request && !request.done) {
          state.client.abort(request);
          this.finish(state, request, 'failed', 'ECANCELED');
        }
      }
    this.endDispatch();
  }

  private endDispatch(): void {
    this.dispatching = false;
    this.maybeDone();
  }

  private maybeDone(): void {
    if (this.dispatching || this.states.some((state) => state.inFlight > 0)) return;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const state of this.states) state.client.close();
    const elapsedMs = Math.max(...this.states.map((state) => state.recorder.lastOutcomeMs), this.now());
    this.resolve({
      runs: this.states.map((state) => ({
        target: state.target,
        recorder: state.recorder,
        connectionsOpened: state.client.opened,
      })),
      elapsedMs,
      stoppedEarly: this.stoppedEarly,
    });
  }
}
