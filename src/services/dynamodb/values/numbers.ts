import { validation } from '../errors.js';

/**
 * DynamoDB's Number: up to 38 significant digits, magnitudes from 1e-130 to below 1e126, exact decimal arithmetic.
 * Values are held as digit strings and exponents (BigInt for sums), never as floats.
 */

/** value = 0.<digits> × 10^exponent; digits has no leading or trailing zeros and is "" for zero. */
export interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const MAX_DIGITS = 38;
/** Largest and smallest exponent of the leading digit in scientific notation (d.ddd × 10^e). */
const MAX_SCIENTIFIC_EXPONENT = 125;
const MIN_SCIENTIFIC_EXPONENT = -130;
const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export const ZERO: Decimal = { negative: false, digits: '', exponent: 0 };

/** Parses the decimal syntax DynamoDB accepts (Java's BigDecimal) and checks DynamoDB's limits. */
export function parseNumber(text: string): Decimal {
  if (text.length === 0) throw validation('The parameter cannot be converted to a numeric value');
  const match = SYNTAX.exec(text);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (!match || whole.length + fraction.length === 0) throw validation(`The parameter cannot be converted to a numeric value: ${text}`);
  const all = whole + fraction;
  let start = 0;
  while (start < all.length && all.charCodeAt(start) === 48) start++;
  let end = all.length;
  while (end > start && all.charCodeAt(end - 1) === 48) end--;
  const digits = all.slice(start, end);
  if (digits.length === 0) return ZERO;
  const exponent = whole.length - start + Number(match[4] ?? 0);
  return checkLimits({ negative: match[1] === '-', digits, exponent });
}

/** The canonical text DynamoDB stores and returns: plain notation, no superfluous zeros, no "-0". */
export function normalizeNumber(text: string): string {
  return formatDecimal(parseNumber(text));
}

export function checkLimits(value: Decimal): Decimal {
  if (value.digits.length === 0) return value;
  const scientific = value.exponent - 1;
  if (scientific > MAX_SCIENTIFIC_EXPONENT) {
    throw validation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  }
  if (scientific < MIN_SCIENTIFIC_EXPONENT) {
    throw validation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  }
  if (value.digits.length > MAX_DIGITS) throw validation('Attempting to store more than 38 significant digits in a Number');
  return value;
}

export function formatDecimal(value: Decimal): string {
  const { digits, exponent } = value;
  if (digits.length === 0) return '0';
  let text: string;
  if (exponent <= 0) text = '0.' + '0'.repeat(-exponent) + digits;
  else if (exponent >= digits.length) text = digits + '0'.repeat(exponent - digits.length);
  else text = digits.slice(0, exponent) + '.' + digits.slice(exponent);
  return value.negative ? '-' + text : text;
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const signA = a.digits.length === 0 ? 0 : a.negative ? -1 : 1;
  const signB = b.digits.length === 0 ? 0 : b.negative ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  const magnitude = a.exponent !== b.exponent ? (a.exponent < b.exponent ? -1 : 1) : compareDigits(a.digits, b.digits);
  return signA < 0 ? -magnitude : magnitude;
}

export function compareNumbers(a: string, b: string): number {
  return compareDecimals(parseNumber(a), parseNumber(b));
}

function compareDigits(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = a.charCodeAt(i) - b.charCodeAt(i);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Exact a + b (or a - b), checked against DynamoDB's limits like any stored number. */
export function addNumbers(a: string, b: string, subtract = false): string {
  const x = parseNumber(a);
  const y = parseNumber(b);
  if (y.digits.length === 0) return formatDecimal(x);
  const yy = subtract ? { ...y, negative: !y.negative } : y;
  if (x.digits.length === 0) return formatDecimal(yy);
  const scaleX = x.exponent - x.digits.length;
  const scaleY = yy.exponent - yy.digits.length;
  const scale = Math.min(scaleX, scaleY);
  const sum = coefficient(x, scaleX - scale) + coefficient(yy, scaleY - scale);
  return formatDecimal(checkLimits(fromCoefficient(sum, scale)));
}

function coefficient(value: Decimal, shift: number): bigint {
  const magnitude = BigInt(value.digits) * 10n ** BigInt(shift);
  return value.negative ? -magnitude : magnitude;
}

function fromCoefficient(coefficient: bigint, scale: number): Decimal {
  if (coefficient === 0n) return ZERO;
  const negative = coefficient < 0n;
  let digits = (negative ? -coefficient : coefficient).toString();
  const exponent = digits.length + scale;
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return { negative, digits, exponent };
}

/** DynamoDB's storage size of a number: about one byte per two significant digits, plus one. */
export function numberSize(text: string): number {
  const value = parseNumber(text);
  const count = value.digits.length;
  if (count === 0) return 1;
  // Digits are stored in base-100 pairs aligned on even powers of ten, after one exponent byte.
  const padded = count + ((value.exponent - 1) % 2 === 0 ? 1 : 0);
  return 1 + Math.ceil(padded / 2) + (value.negative ? 1 : 0);
}
