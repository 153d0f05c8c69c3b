import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import RatingStars from './RatingStars.svelte';
import StatusBadge from './StatusBadge.svelte';

describe('status badge and quality stars', () => {
  it('shows the status in its colour and marks simulated artifacts', () => {
    const { container } = render(StatusBadge, { status: 'PRODUCTION', simulated: true });
    expect(screen.getByText('Production').getAttribute('data-tone')).toBe('success');
    expect(screen.getByText('Simulated').getAttribute('title')).toMatch(/demo provider/);
    render(StatusBadge, { status: 'ARCHIVED' });
    expect(screen.getByText('Archived').getAttribute('data-tone')).toBe('warning');
    expect(container.querySelectorAll('.sim').length).toBe(1);
  });

  it('fills as many stars as the rating, names it for screen readers, and says when there is none', () => {
    const { container } = render(RatingStars, { rating: 4 });
    expect(screen.getByRole('img', { name: 'Quality 4 of 5: Very good' })).toBeTruthy();
    expect(container.querySelectorAll('svg.on').length).toBe(4);
    render(RatingStars, { rating: null, showWord: false });
    expect(screen.getByRole('img', { name: 'Quality not rated' })).toBeTruthy();
  });
});
