import { presentPrice } from '../../core/pricing/calculator.ts';
import type { PriceResult } from '../../core/pricing/usage.ts';

const quantityText = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 6 });
const money = (usd: number) =>
  `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const unitPrice = (usd: number) =>
  `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 12 })}`;

/** The terminal view: one line per priced item, the total, then the sources (numbered) and the notes. */
export function priceTable(result: PriceResult): string {
  const shown = presentPrice(result);
  const sources: string[] = [];
  const sourceIndex = (source: string) => {
    const found = sources.indexOf(source);
    if (found >= 0) return found + 1;
    sources.push(source);
    return sources.length;
  };
  const rows = shown.lines.map((line) => [
    line.item,
    `${quantityText(line.quantity)}${line.freeQuantity ? ` (+${quantityText(line.freeQuantity)} free)` : ''}`,
    line.unit,
    unitPrice(line.unitPriceUsd),
    money(line.usd),
    `[${sourceIndex(line.source)}]`,
  ]);
  const header = ['item', 'quantity', 'unit', 'unit price', 'USD', 'src'];
  const total = ['total', '', '', '', money(shown.totalUsd), ''];
  const all = [header, ...rows, total];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const right = new Set([1, 3, 4]);
  const render = (row: string[]) =>
    `  ${row
      .map((cell, column) =>
        right.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd()}`;
  const lines = [
    `${shown.platform}${shown.region ? `, ${shown.region}` : ''} — ${shown.currency}`,
    render(header),
    ...rows.map(render),
    render(total),
    '',
    'lines are rounded to the cent; the total is their sum',
  ];
  if (sources.length)
    lines.push('', 'sources:', ...sources.map((source, index) => `  [${index + 1}] ${source}`));
  if (shown.notes.length) lines.push('', 'notes:', ...shown.notes.map((note) => `  - ${note}`));
  return `${lines.join('\n')}\n`;
}
