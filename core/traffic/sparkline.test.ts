import { describe, expect, it } from 'vitest';
import { asciiPlot, downsampleMax, sparkline } from './sparkline.ts';

describe('sparkline', () => {
  it('scales to the peak and shows zero as the lowest bar and a gap as a space', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7, Number.NaN], 10)).toBe('▁▂▃▄▅▆▇█ ');
  });

  it('keeps a one-bin spike visible when squeezing', () => {
    const values = new Array(600).fill(1);
    values[301] = 100;

    const line = sparkline(values, 60);

    expect(line).toHaveLength(60);
    expect(line.match(/█/g)).toHaveLength(1);
    expect(downsampleMax(values, 60)[30]).toBe(100);
  });

  it('draws all-zero input flat and rejects a bad width', () => {
    expect(sparkline([0, 0, 0], 3)).toBe('▁▁▁');
    expect(() => sparkline([1], 0)).toThrow(RangeError);
  });
});

describe('asciiPlot', () => {
  it('draws bars with the peak on the axis', () => {
    expect(asciiPlot([0, 2, 4, 8, 4], { width: 5, height: 4, xLabel: 'minutes' })).toBe(
      ['8 |   #', '  |   #', '  |  ###', '0 | ####', '  +-----', '   minutes'].join('\n'),
    );
  });
});
