import { print } from 'graphql';
import { mutate } from '$lib/graphql/client';
import { FinalizeDatasetUploadMutation, RequestDatasetUploadMutation, UploadDatasetMutation } from '$lib/graphql/datasets';
import type { UploadDatasetMutation as UploadResult } from '$lib/graphql/generated/graphql';
import { CSRF_HEADER } from './session';

/** Files up to this size go in one multipart GraphQL request; larger ones through a signed upload. */
export const MULTIPART_MAX_BYTES = 8 * 1024 * 1024;

export type UploadOutcome = UploadResult['uploadDataset'];

function send(method: string, url: string, body: XMLHttpRequestBodyInit, headers: Record<string, string>, onprogress: (share: number) => void): Promise<{ status: number; text: string }> {
  // XMLHttpRequest: fetch cannot report upload progress.
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => e.lengthComputable && onprogress(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new Error('The upload was interrupted (network error); try again'));
    xhr.send(body);
  });
}

/** Uploads a dataset file, reporting progress 0–1; resolves to the API's typed result. */
export async function uploadDataset(file: File, name: string | undefined, onprogress: (share: number) => void): Promise<UploadOutcome> {
  if (file.size <= MULTIPART_MAX_BYTES) {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: print(UploadDatasetMutation), variables: { input: { file: null, name } } }));
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
    form.append('0', file, file.name);
    const { status, text } = await send('POST', '/graphql', form, { [CSRF_HEADER]: '1' }, onprogress);
    const body = JSON.parse(text || '{}') as { data?: { uploadDataset: UploadOutcome }; errors?: { message: string }[] };
    if (!body.data) throw new Error(body.errors?.[0]?.message ?? `Upload failed (${status})`);
    return body.data.uploadDataset;
  }
  const requested = (await mutate(RequestDatasetUploadMutation, { input: { fileName: file.name, name, sizeBytes: file.size } })).requestDatasetUpload;
  if (requested.__typename !== 'RequestDatasetUploadSuccess') {
    return requested.__typename === 'DatasetInvalidError' ? (requested as UploadOutcome) : { __typename: 'ValidationError', message: 'message' in requested ? requested.message : 'Upload refused', fieldErrors: [] };
  }
  const headers = Object.fromEntries(requested.upload.headers.map((h) => [h.name, h.value]));
  const put = await send(requested.upload.method, requested.upload.url, file, headers, (share) => onprogress(share * 0.95));
  if (put.status >= 300) throw new Error(`The storage refused the file (${put.status}): ${put.text.slice(0, 200)}`);
  const finalized = (await mutate(FinalizeDatasetUploadMutation, { input: { id: requested.dataset.id } })).finalizeDatasetUpload;
  onprogress(1);
  if (finalized.__typename === 'FinalizeDatasetUploadSuccess') return { __typename: 'UploadDatasetSuccess', dataset: finalized.dataset };
  return finalized as UploadOutcome;
}
