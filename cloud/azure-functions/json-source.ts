/**
 * JSON read with the line of every value, so a setting's source can say `azuredeploy.json:156
 * (/resources/6/properties/…)` and a reader can open the file at that line. JSON.parse does the parsing
 * and the validation (its messages are the ones users know); a small scanner over the same, already
 * valid, text records where each JSON pointer starts. Pure.
 */

import { MigrateError } from '../../core/errors.ts';

export interface JsonSource {
  file: string;
  value: unknown;
  /** The line a JSON pointer's member (its key) or array element starts on; null when absent. */
  lineOf(pointer: string): number | null;
  /** `file:line (pointer)`: where a setting came from. */
  at(pointer: string): string;
}

export function parseJsonSource(text: string, file: string, hint: string): JsonSource {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const where = position ? lineColumn(text, Number(position[1])) : null;
    throw new MigrateError(
      `${file}${where ? `:${where.line}:${where.column}` : ''}: not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
      { hint },
    );
  }
  const lines = locate(text);
  return {
    file,
    value,
    lineOf: (pointer) => lines.get(pointer) ?? null,
    at: (pointer) => {
      const line = lines.get(pointer);
      return `${file}${line === undefined ? '' : `:${line}`} (${pointer})`;
    },
  };
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

/**
 * Pointer → line for every member and element of valid JSON text. Strings in JSON cannot hold a raw
 * newline, so only whitespace between tokens advances the line.
 */
function locate(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let index = 0;
  let line = 1;
  const skip = () => {
    while (index < text.length) {
      const char = text[index];
      if (char === '\n') line++;
      else if (char !== ' ' && char !== '\t' && char !== '\r') return;
      index++;
    }
  };
  const string = (): string => {
    let end = index + 1;
    while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    const decoded = JSON.parse(text.slice(index, end + 1)) as string;
    index = end + 1;
    return decoded;
  };
  const value = (path: string): void => {
    skip();
    const char = text[index];
    if (char === '{' || char === '[') {
      const object = char === '{';
      index++;
      skip();
      if (text[index] === (object ? '}' : ']')) {
        index++;
        return;
      }
      for (let position = 0; ; position++) {
        skip();
        let child: string;
        if (object) {
          const key = string();
          child = `${path}${pointer(key)}`;
          lines.set(child, line);
          skip();
          index++; // the colon
        } else {
          child = `${path}${pointer(position)}`;
          lines.set(child, line);
        }
        value(child);
        skip();
        if (text[index++] !== ',') return; // `}` or `]`
      }
    }
    if (char === '"') {
      string();
      return;
    }
    while (index < text.length && !',}] \t\r\n'.includes(text[index]!)) index++;
  };
  lines.set('', 1);
  value('');
  return lines;
}
