import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const upload = vi.hoisted(() => ({ uploadDataset: vi.fn() }));
const nav = vi.hoisted(() => ({ goto: vi.fn() }));
vi.mock('$lib/api/upload', () => upload);
vi.mock('$app/navigation', () => nav);

import UploadDialog from './UploadDialog.svelte';

beforeEach(() => {
  upload.uploadDataset.mockReset();
  nav.goto.mockReset();
});

async function chooseAndUpload(name = 'broken.jsonl') {
  const input = screen.getByLabelText('Dataset file') as HTMLInputElement;
  const file = new File(['{"x":1}\n'], name, { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await fireEvent.change(input);
  await fireEvent.click(screen.getByRole('button', { name: 'Upload' }));
}

describe('UploadDialog', () => {
  it('lists every problem of a DatasetInvalidError with its line, column, field and conversation', async () => {
    upload.uploadDataset.mockResolvedValue({
      __typename: 'DatasetInvalidError',
      message: 'The file is not a valid brightrun-lora-v4 dataset',
      kind: 'INVALID_CONTENT',
      problemCount: 3,
      problems: [
        { line: 3, column: 2, field: null, conversation: null, message: 'Unexpected token n in JSON' },
        { line: 7, column: null, field: 'turns[0].target_response', conversation: 'c1', message: 'must be a non-empty string' },
      ],
    });
    render(UploadDialog, { open: true });
    await chooseAndUpload();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The file is not a valid brightrun-lora-v4 dataset');
    expect(alert.textContent).toContain('3 problems found (first 2 shown)');
    const items = within(alert).getAllByRole('listitem').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items).toEqual(['line 3:2 Unexpected token n in JSON', 'line 7 turns[0].target_response c1 must be a non-empty string']);
    expect(nav.goto).not.toHaveBeenCalled();
    // The name defaults to the file's name without its extension; upload can be retried.
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('broken');
    expect((screen.getByRole('button', { name: 'Upload' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('names the existing dataset of a duplicate, and shows field errors of a ValidationError', async () => {
    upload.uploadDataset.mockResolvedValueOnce({ __typename: 'DuplicateDatasetError', message: 'Already imported', existingDataset: { id: 'ds_9', name: 'Older copy' } });
    render(UploadDialog, { open: true });
    await chooseAndUpload('dup.json');
    const link = await screen.findByRole('link', { name: 'Older copy' });
    expect(link.getAttribute('href')).toBe('/datasets/ds_9');

    upload.uploadDataset.mockResolvedValueOnce({ __typename: 'ValidationError', message: 'Bad input', fieldErrors: [{ field: 'name', message: 'at most 200 characters' }] });
    await fireEvent.click(screen.getByRole('button', { name: 'Upload' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('at most 200 characters'));
  });

  it('shows progress while uploading, then opens the imported dataset', async () => {
    let report: (share: number) => void = () => undefined;
    let finish: (v: unknown) => void = () => undefined;
    upload.uploadDataset.mockImplementation((_file: File, _name: string, onprogress: (s: number) => void) => {
      report = onprogress;
      return new Promise((resolve) => (finish = resolve));
    });
    const onuploaded = vi.fn();
    render(UploadDialog, { open: true, onuploaded });
    await chooseAndUpload('good.jsonl');
    report(0.42);
    const bar = await screen.findByRole('progressbar', { name: 'Upload progress' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('42'));
    expect(screen.getByText('Uploading… 42%')).toBeTruthy();
    finish({ __typename: 'UploadDatasetSuccess', dataset: { id: 'ds_new', name: 'good' } });
    await waitFor(() => expect(nav.goto).toHaveBeenCalledWith('/datasets/ds_new'));
    expect(onuploaded).toHaveBeenCalledOnce();
  });

  it('says what went wrong when the upload itself fails', async () => {
    upload.uploadDataset.mockRejectedValue(new Error('The upload was interrupted (network error); try again'));
    render(UploadDialog, { open: true });
    await chooseAndUpload();
    expect((await screen.findByRole('alert')).textContent).toBe('The upload was interrupted (network error); try again');
  });
});
