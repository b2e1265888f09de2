export * from './bins.ts';
export * from './build.ts';
export * from './duration.ts';
export type * from './profile.ts';
export * from './sparkline.ts';
export * from './spike.ts';
export * from './stats.ts';
