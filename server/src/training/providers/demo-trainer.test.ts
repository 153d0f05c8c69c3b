import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortableSleep } from './demo-trainer.js';

describe('abortableSleep (the demo trainer waits once per step)', () => {
  it('leaves no abort listener behind after each completed wait', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 500; i++) await abortableSleep(0, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the reason when aborted mid-wait, and removes its listener', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const wait = abortableSleep(60_000, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort(new Error('stopped'));
    await expect(wait).rejects.toThrow('stopped');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once on an already aborted signal without adding a listener', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(abortableSleep(60_000, controller.signal)).rejects.toThrow('gone');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
