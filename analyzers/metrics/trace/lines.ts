/**
 * Line-by-line reading of large files, and CSV fields without building every row.
 *
 * Lines are found in the raw bytes (Buffer.indexOf of `\n`, safe in UTF-8 because 0x0A never occurs
 * inside a multi-byte character) and only each line is decoded. Splitting decoded text with
 * String.indexOf, or using node:readline, measured 2–4 times slower on a 10-million-row trace.
 */

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Call `onLine` for every line with its 1-based number; returns the number of lines. `\r\n` endings
 * and a leading byte-order mark are removed. A final line without a newline still counts.
 */
export async function forEachLine(
  path: string,
  onLine: (line: string, lineNumber: number) => void,
): Promise<number> {
  let lineNumber = 0;
  let carry: Buffer | null = null;
  const emit = (bytes: Buffer, from: number, to: number) => {
    lineNumber += 1;
    if (lineNumber === 1 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf)
      from += 3;
    const end = to > from && bytes[to - 1] === 13 ? to - 1 : to;
    onLine(bytes.toString('utf8', from, end), lineNumber);
  };
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk: Buffer = carry ? Buffer.concat([carry, piece as Buffer]) : (piece as Buffer);
    let from = 0;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, from)) {
      emit(chunk, from, at);
      from = at + 1;
    }
    carry = from < chunk.length ? chunk.subarray(from) : null;
  }
  if (carry) emit(carry, 0, carry.length);
  return lineNumber;
}

/** The first lines of a file (up to `maxBytes`), to sniff its layout before streaming it. */
export async function headLines(path: string, maxLines = 20, maxBytes = 1 << 20): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    // The last piece may be cut mid-line by maxBytes; drop it unless the file ended there.
    if (bytesRead === maxBytes) lines.pop();
    return lines.slice(0, maxLines);
  } finally {
    await handle.close();
  }
}

/** All fields of a delimited line, RFC 4180 quoting (`"a,b"`, `""` for a quote). */
export function splitFields(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/**
 * Field `index` (0-based) of a line, or undefined when the line is shorter. One pass of charCodeAt
 * up to the field, allocating only the field; a quote before its end sends the line to splitFields.
 */
export function fieldAt(line: string, delimiter: string, index: number): string | undefined {
  const separator = delimiter.charCodeAt(0);
  let field = 0;
  let from = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 34) return splitFields(line, delimiter)[index];
    if (code !== separator) continue;
    if (field === index) return line.slice(from, i);
    field += 1;
    from = i + 1;
  }
  return field === index ? line.slice(from) : undefined;
}
