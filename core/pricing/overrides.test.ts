import { describe, expect, it } from 'vitest';
import { MigrateError } from '../errors.ts';
import { DEFAULT_PRICE_BOOK, presentPrice, priceUsage } from './calculator.ts';
import { parsePriceOverrides } from './overrides.ts';

const refused = (text: string): string => {
  try {
    parsePriceOverrides(text, 'prices.yaml');
  } catch (error) {
    if (error instanceof MigrateError) return error.message;
    throw error;
  }
  throw new Error('expected the --prices file to be refused');
};

describe('--prices overrides', () => {
  it('merges fields over the data and remembers where each came from', () => {
    const book = parsePriceOverrides(
      `aws-lambda:
  requestsUsdPerMillion: 0.25
cloud-run:
  gpuUsdPerHour:
    nvidia-l4: 0.7
    nvidia-h100: 5.5
`,
      'prices.yaml',
    );
    expect(book['aws-lambda'].requestsUsdPerMillion).toBe(0.25);
    expect(book['aws-lambda'].durationX86UsdPerGbSecond).toBe(0.0000166667);
    expect(book['cloud-run'].gpuUsdPerHour).toEqual({
      'nvidia-l4': 0.7,
      'nvidia-rtx-pro-6000': null,
      'nvidia-h100': 5.5,
    });
    expect(book.overrides).toEqual({
      'aws-lambda.requestsUsdPerMillion': 'prices.yaml:2',
      'cloud-run.gpuUsdPerHour.nvidia-l4': 'prices.yaml:5',
      'cloud-run.gpuUsdPerHour.nvidia-h100': 'prices.yaml:6',
    });
    expect(DEFAULT_PRICE_BOOK['aws-lambda'].requestsUsdPerMillion).toBe(0.2);

    const result = priceUsage(
      {
        platform: 'aws-lambda',
        region: 'us-east-1',
        freeTier: false,
        architecture: 'x86_64',
        memoryMb: 128,
        ephemeralStorageMb: 512,
        invocations: [{ count: 4_000_000, avgDurationMs: 1 }],
        provisionedConcurrency: [],
      },
      book,
    );
    expect(result.lines[0]).toMatchObject({ item: 'requests', usd: 1, source: '--prices prices.yaml:2' });
    expect(result.lines[1]!.source).toMatch(/^https:\/\/aws\.amazon\.com\/lambda\/pricing\//);
  });

  it('reproduces the older Lambda page example 1 ($18.74) with that page’s price and 100 ms rounding', () => {
    // https://aws.amazon.com/lambda/pricing/ as it read when duration was "rounded up to the nearest 100ms"
    // (memory "between 128MB and 3008MB, in 64MB increments"): "If you allocated 512MB of memory to your
    // function, executed it 3 million times in one month, and it ran for 1 second each time" — "The monthly
    // compute price is $0.00001667 per GB-s and the free tier provides 400,000 GB-s", "1,100,000 * $0.00001667
    // = $18.34", "2M * $0.2/M = $0.40", "Total charges = … $18.34 + $0.40 = $18.74 per month".
    const then = parsePriceOverrides(
      'aws-lambda:\n  durationX86UsdPerGbSecond: 0.00001667\n  durationGranularityMs: 100\n',
      'lambda-2019.yaml',
    );
    const result = presentPrice(
      priceUsage(
        {
          platform: 'aws-lambda',
          region: 'us-east-1',
          freeTier: true,
          architecture: 'x86_64',
          memoryMb: 512,
          ephemeralStorageMb: 512,
          invocations: [{ count: 3_000_000, avgDurationMs: 1000 }],
          provisionedConcurrency: [],
        },
        then,
      ),
    );
    expect(result.lines.map((line) => [line.item, line.quantity, line.usd])).toEqual([
      ['requests', 2, 0.4],
      ['duration (x86)', 1_100_000, 18.34],
    ]);
    expect(result.totalUsd).toBe(18.74);
    expect(result.lines[1]!.source).toBe('--prices lambda-2019.yaml:2');
  });

  it('replaces a list as a whole, each entry shaped like the data’s', () => {
    const book = parsePriceOverrides(
      'aws-lambda:\n  durationArmNextTiers:\n    - {fromGbSeconds: 7500000000, usdPerGbSecond: 0.000012}\n    - {fromGbSeconds: 18750000000, usdPerGbSecond: 0.0000108}\n',
      'prices.yaml',
    );
    expect(book['aws-lambda'].durationArmNextTiers).toEqual([
      { fromGbSeconds: 7_500_000_000, usdPerGbSecond: 0.000012 },
      { fromGbSeconds: 18_750_000_000, usdPerGbSecond: 0.0000108 },
    ]);
    expect(refused('aws-lambda:\n  durationArmNextTiers:\n    - {fromGbSeconds: 1}\n')).toMatch(
      /^prices\.yaml:3: aws-lambda\.durationArmNextTiers\[0\]\.usdPerGbSecond: is missing/,
    );
  });

  it('updates node types by id and adds new ones, which need a price', () => {
    const book = parsePriceOverrides(
      'nodeTypes:\n  - {id: g6.xlarge, hourlyUsd: 0.7, priceSource: "our bill, 2026-05"}\n  - {id: g6.2xlarge, hourlyUsd: 0.98}\n',
      'prices.yaml',
    );
    expect(book.nodeTypes.find((type) => type.id === 'g6.xlarge')).toMatchObject({
      hourlyUsd: 0.7,
      priceSource: 'our bill, 2026-05 (--prices prices.yaml:2)',
      priceConfidence: 'primary',
    });
    expect(book.nodeTypes.find((type) => type.id === 'g6.2xlarge')).toMatchObject({
      hourlyUsd: 0.98,
      minimumBilledSeconds: 60,
      priceSource: '--prices prices.yaml:3',
    });
    expect(book.nodeTypes).toHaveLength(DEFAULT_PRICE_BOOK.nodeTypes.length + 1);
    expect(refused('nodeTypes:\n  - {id: new-node}\n')).toMatch(
      /^prices\.yaml:2: nodeTypes\[0\]\.hourlyUsd: is needed for node type "new-node"/,
    );
  });

  it('names the file, line and field of a bad override', () => {
    expect(refused('aws-lambda:\n  requestsUsdPerMilion: 0.2\n')).toMatch(
      /^prices\.yaml:2: aws-lambda\.requestsUsdPerMilion: is not a known key here \(known: .*requestsUsdPerMillion/,
    );
    expect(refused('cloud-run:\n  requestCpuUsdPerVcpuSecond: -1\n')).toBe(
      'prices.yaml:2: cloud-run.requestCpuUsdPerVcpuSecond: must be a number ≥ 0, got -1',
    );
    expect(refused('azure-functions:\n  onDemandUsdPerGbSecond: "cheap"\n')).toMatch(
      /^prices\.yaml:2: azure-functions\.onDemandUsdPerGbSecond: must be a number ≥ 0, got "cheap"/,
    );
    expect(refused('aws-lambda:\n  currency: EUR\n')).toMatch(
      /^prices\.yaml:2: aws-lambda\.currency: cannot be changed/,
    );
    expect(refused('gcp:\n  x: 1\n')).toMatch(/^prices\.yaml:1: gcp: is not a known key here/);
  });
});
