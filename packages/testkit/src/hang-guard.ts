/**
 * `work`, or a failure naming `what` once `ms` have passed: a test of timeouts must not hang itself when
 * the timeout under test does not fire. A bound, not a timing: set it far beyond any timeout tested.
 */
export function failIfHung<T>(work: Promise<T>, what: string, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`hung: ${what} (no answer in ${ms} ms)`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
