import { TYPE_OIDS } from './types';

/**
 * Both backends hand values back alike: dates as 'YYYY-MM-DD' strings (no time-zone
 * drift), timestamps as ISO strings, numeric and bigint as JS numbers.
 */
export const sharedParsers: Record<number, (value: string) => unknown> = {
  [TYPE_OIDS.int8]: (v) => Number(v),
  [TYPE_OIDS.numeric]: (v) => Number(v),
  [TYPE_OIDS.date]: (v) => v,
  [TYPE_OIDS.timestamp]: (v) => new Date(`${v.replace(' ', 'T')}Z`).toISOString(),
  [TYPE_OIDS.timestamptz]: (v) => new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString(),
};
