import { InvalidArgumentError } from 'commander';

export function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return n;
}

export function toPositiveInt(value: string): number {
  const n = toInt(value);
  if (n < 1) throw new InvalidArgumentError('expected a number of at least 1.');
  return n;
}
