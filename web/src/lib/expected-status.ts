/**
 * The API's expected statuses (`200-299,301`) as shown: the ranges themselves, a space after each
 * comma. Older answers carried an array of codes; they are shown as ranges too.
 */
export function formatExpectedStatus(expected: string | readonly number[]): string {
  if (typeof expected === 'string') return expected.split(',').join(', ');
  const sorted = [...new Set(expected)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
