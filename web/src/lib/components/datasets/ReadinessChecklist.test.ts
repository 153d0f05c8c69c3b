import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ReadinessChecklist from './ReadinessChecklist.svelte';

const checks = [
  { key: 'FORMAT', passed: true, blocking: true, value: 'brightrun-lora-v4 4.0.0', threshold: 'brightrun-lora-v4 (version 4.x)', message: 'A format the trainer reads.' },
  { key: 'TRAINABLE_VOLUME', passed: false, blocking: true, value: '70', threshold: '501', message: '70 trainable pairs: too few for a stable run.' },
  { key: 'HUMAN_REVIEWED', passed: false, blocking: false, value: '0', threshold: null, message: 'For information: not required.' },
];

describe('ReadinessChecklist', () => {
  it('lists every check with its label, value, threshold and reason, and marks each state', () => {
    const { container } = render(ReadinessChecklist, { ready: false, checks });
    expect(screen.getByRole('heading', { name: /Review Recommended/ })).toBeTruthy();
    const items = [...container.querySelectorAll('li')];
    expect(items.map((li) => li.dataset.state)).toEqual(['pass', 'fail', 'info']);
    expect(items[0]!.textContent).toContain('Format compatible');
    expect(items[1]!.textContent).toContain('Sufficient volume');
    expect(items[1]!.textContent).toContain('70');
    expect(items[1]!.textContent).toContain('(needs 501)');
    expect(items[1]!.textContent).toContain('too few for a stable run');
    expect(items[2]!.textContent).toContain('Human review share');
    // A check without a threshold (the API's null) says so instead of an empty "(needs )".
    expect(items[2]!.textContent).toContain('(no threshold: for information)');
    expect(items[2]!.textContent).not.toContain('(needs');
    // The icons say what they mean to screen readers.
    expect(screen.getByLabelText('Passed')).toBeTruthy();
    expect(screen.getByLabelText('Failed')).toBeTruthy();
    expect(screen.getByLabelText('Information')).toBeTruthy();
  });

  it('says "Ready for Training" when ready, and explains an empty list', () => {
    render(ReadinessChecklist, { ready: true, checks: [] });
    const heading = screen.getByRole('heading', { name: /Ready for Training/ });
    expect(heading.classList.contains('ok')).toBe(true);
    expect(screen.getByText(/still being imported/)).toBeTruthy();
  });

  it('shows an unknown check by its key rather than hiding it', () => {
    render(ReadinessChecklist, { ready: false, checks: [{ key: 'NEW_RULE', passed: false, blocking: true, value: 'x', threshold: 'y', message: 'z' }] });
    expect(screen.getByText('NEW_RULE')).toBeTruthy();
  });
});
