/** One line of the replay progress bar: `replay kubernetes [██████······] 52 %`. */
export function progressLine(target: string, fraction: number): string {
  const width = 30;
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * width);
  return `replay ${target.padEnd(16)} [${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${Math.floor(
    clamped * 100,
  )
    .toString()
    .padStart(3)} %`;
}
