export { type MeasureOptions, type MeasureOutput, measureModel } from './measure.ts';
export * from './summary.ts';
