import { settlesWithin } from '../../../src/queue/deadline';

describe('settlesWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('when the work settles first, then it is true and no timer is left behind', async () => {
    await expect(settlesWithin(Promise.resolve('stored'), 5000)).resolves.toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('when the deadline comes first, then it is false', async () => {
    const outcome = settlesWithin(new Promise(() => undefined), 5000);
    await jest.advanceTimersByTimeAsync(5000);
    await expect(outcome).resolves.toBe(false);
  });

  it('when the work fails, then its error is passed on and the timer cleared', async () => {
    await expect(settlesWithin(Promise.reject(new Error('OOM command not allowed')), 5000)).rejects.toThrow('OOM command not allowed');
    expect(jest.getTimerCount()).toBe(0);
  });
});
