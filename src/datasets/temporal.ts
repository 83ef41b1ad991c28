/**
 * Dates, times and timestamps as text, parsed and formatted without a JavaScript Date in the
 * way: a Date holds milliseconds, a database microseconds, and `2024-02-30` must be an error,
 * not the 1st of March.
 */

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface TimeParts {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** `''` or `.` and 1–6 digits, as written. */
  readonly fraction: string;
}

export interface TimestampParts {
  readonly date: DateParts;
  readonly time: TimeParts;
  /** Minutes east of UTC; null when the text names no zone. */
  readonly offset: number | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?$/;
const ZONE = /^(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseDate(text: string): DateParts | null {
  const match = DATE.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function parseTime(text: string): TimeParts | null {
  const match = TIME.exec(text);
  if (match === null) return null;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { hour, minute, second, fraction: match[4] ?? '' };
}

/** `Z`, `+02`, `+02:00`, `-0530` → minutes east of UTC. */
export function parseZone(text: string): number | null {
  const match = ZONE.exec(text);
  if (match === null) return null;
  if (match[1] === undefined) return 0;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 15 || minutes > 59) return null;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** `2024-03-01`, `2024-03-01 10:00`, `2024-03-01T10:00:00.123456+02:00`… */
export function parseTimestamp(text: string): TimestampParts | null {
  const match = TIMESTAMP.exec(text.trim());
  if (match === null) return null;
  const date = parseDate(match[1]!);
  const time = match[2] === undefined ? { hour: 0, minute: 0, second: 0, fraction: '' } : parseTime(match[2]);
  const offset = match[3] === undefined ? null : parseZone(match[3]);
  if (date === null || time === null || (match[3] !== undefined && offset === null)) return null;
  return { date, time, offset };
}

/** A time with an optional zone, for `time with time zone`: `10:00:00+02`. */
export function parseTimeWithZone(text: string): { time: TimeParts; offset: number | null } | null {
  const match = /^(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text.trim());
  if (match === null) return null;
  const time = parseTime(match[1]!);
  const offset = match[2] === undefined ? null : parseZone(match[2]);
  if (time === null || (match[2] !== undefined && offset === null)) return null;
  return { time, offset };
}

export function formatDate(date: DateParts): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

export function formatTime(time: TimeParts): string {
  return `${pad(time.hour, 2)}:${pad(time.minute, 2)}:${pad(time.second, 2)}${time.fraction}`;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${pad(Math.floor(absolute / 60), 2)}:${pad(absolute % 60, 2)}`;
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]`, with `+HH:MM` when `withOffset` and the timestamp has one. */
export function formatTimestamp(timestamp: TimestampParts, withOffset: boolean): string {
  const base = `${formatDate(timestamp.date)} ${formatTime(timestamp.time)}`;
  return withOffset && timestamp.offset !== null ? `${base}${formatOffset(timestamp.offset)}` : base;
}

/** The same instant in UTC (a timestamp without a zone is taken as UTC already). */
export function toUtc(timestamp: TimestampParts): TimestampParts {
  if (timestamp.offset === null || timestamp.offset === 0) return { ...timestamp, offset: 0 };
  const shifted = fromEpochMs(wholeSecondsMs(timestamp) - timestamp.offset * 60_000);
  return { date: shifted.date, time: { ...shifted.time, fraction: timestamp.time.fraction }, offset: 0 };
}

/** Milliseconds since 1970 (the fraction rounded to milliseconds), the zone applied. */
export function epochMs(timestamp: TimestampParts): number {
  return wholeSecondsMs(timestamp) - (timestamp.offset ?? 0) * 60_000 + Math.round(Number(`0${timestamp.time.fraction || '.0'}`) * 1000);
}

export function fromEpochMs(ms: number): TimestampParts {
  const date = new Date(ms);
  const millis = date.getUTCMilliseconds();
  return {
    date: { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() },
    time: { hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(), fraction: millis === 0 ? '' : `.${pad(millis, 3)}` },
    offset: 0,
  };
}

/** Days since 1970-01-01. */
export function dayNumber(date: DateParts): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / 86_400_000);
}

export function fromDayNumber(day: number): DateParts {
  const date = new Date(day * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function wholeSecondsMs(timestamp: TimestampParts): number {
  const { date, time } = timestamp;
  const ms = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second);
  // Date.UTC maps years 0–99 to 1900–1999.
  return date.year < 100 ? new Date(ms).setUTCFullYear(date.year) : ms;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
