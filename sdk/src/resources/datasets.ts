import { BrightRunError } from '../errors.js';
import {
  DatasetDocument,
  DatasetsDocument,
  DeleteDatasetDocument,
  FinalizeDatasetUploadDocument,
  RequestDatasetUploadDocument,
  UploadDatasetDocument,
  type DatasetFieldsFragment,
  type DatasetFilter,
  type DatasetOrder,
  type UploadDatasetMutation,
} from '../graphql/generated/graphql.js';
import { PagedList, pageOf, type ListOptions } from '../core/pagination.js';
import { found, unwrap } from '../core/results.js';
import type { RequestOptions, Transport } from '../core/transport.js';

/** A dataset as the SDK returns it (the fields of `DatasetFields` in sdk/src/operations). */
export type Dataset = DatasetFieldsFragment;

/** How far an upload or download got. */
export interface TransferProgress {
  /** Bytes sent (or received) so far. */
  loaded: number;
  /** All bytes, when known. */
  total: number | undefined;
}

/** A local path (Node, Deno, Bun), a Blob or File, or a stream of bytes. */
export type UploadSource = string | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface UploadOptions extends RequestOptions {
  /** 1–200 characters. @default the file name without its extension */
  name?: string | undefined;
  /** At most 2,000 characters. */
  description?: string | undefined;
  /** The file name the server sees (its extension tells JSON from JSONL). @default the path's or File's name; required for streams */
  fileName?: string | undefined;
  /** The stream's length in bytes, when the source is a stream (checked against the server's limit before sending). */
  sizeBytes?: number | undefined;
  /** Called as bytes go out. */
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /**
   * `signed`: ask for a signed link, PUT the bytes there with progress, then finalize (any size,
   * streams). `multipart`: one GraphQL multipart request (files up to ~100 MB; progress only at
   * the end).
   * @default "signed"
   */
  method?: 'signed' | 'multipart' | undefined;
}

export interface DatasetListOptions extends ListOptions {
  filter?: DatasetFilter | undefined;
  orderBy?: DatasetOrder | undefined;
}

interface Source {
  fileName: string;
  size: number | undefined;
  /** A fresh stream of the bytes; undefined after a single-use stream was consumed. */
  open(): ReadableStream<Uint8Array>;
  reopenable: boolean;
  blob: (() => Promise<Blob>) | undefined;
}

/** `br.datasets`: brightrun-lora-v4 conversation datasets. */
export class Datasets {
  constructor(private readonly transport: Transport) {}

  /** The workspace's datasets, newest first unless `orderBy` says otherwise, as an async iterable over keyset pages. */
  list(options: DatasetListOptions = {}): PagedList<Dataset> {
    return new PagedList(async (after, first, request) => {
      const { data } = await this.transport.graphql(DatasetsDocument, { first, after, filter: options.filter, orderBy: options.orderBy }, { ...request, idempotent: true });
      return pageOf(data.datasets);
    }, options);
  }

  /** One dataset; throws NotFoundError when none of this workspace has the id. */
  async get(id: string, options: RequestOptions = {}): Promise<Dataset> {
    const { data, requestId } = await this.transport.graphql(DatasetDocument, { id }, { ...options, idempotent: true });
    return found(data.dataset, 'dataset', id, requestId);
  }

  /**
   * Uploads a brightrun-lora-v4 file (full JSON or JSONL) and returns the imported dataset.
   * Throws DatasetInvalidError (with the problems found; nothing is kept), DuplicateDatasetError
   * (the same bytes are already a dataset: `existingDataset`) or ValidationError.
   */
  async upload(source: UploadSource, options: UploadOptions = {}): Promise<Dataset> {
    const resolved = await this.resolve(source, options);
    if ((options.method ?? 'signed') === 'multipart') return this.uploadMultipart(resolved, options);
    return this.uploadSigned(resolved, options);
  }

  /**
   * Hides a dataset (jobs and models trained on it keep their lineage). `confirmName` must be the
   * dataset's exact name. Throws ConflictError while a job trains on it or when the name differs.
   */
  async delete(id: string, params: { confirmName: string }, options: RequestOptions = {}): Promise<{ id: string; name: string }> {
    const { data, requestId } = await this.transport.graphql(DeleteDatasetDocument, { input: { id, confirmName: params.confirmName } }, { ...options, idempotent: true });
    return unwrap(data.deleteDataset, 'DeleteDatasetSuccess', requestId).dataset;
  }

  private async resolve(source: UploadSource, options: UploadOptions): Promise<Source> {
    if (typeof source === 'string') {
      if (!this.transport.platform.openFile) throw new BrightRunError('Uploading from a path needs a file system (Node, Deno, Bun): in a browser pass a File or Blob');
      const file = await this.transport.platform.openFile(source).catch((error: Error) => {
        throw new BrightRunError(`Cannot read ${source}: ${error.message}`, { cause: error });
      });
      return { fileName: options.fileName ?? file.name, size: file.size, open: file.open, reopenable: true, blob: file.blob };
    }
    if (typeof Blob !== 'undefined' && source instanceof Blob) {
      const fileName = options.fileName ?? (source as File).name;
      if (!fileName) throw new BrightRunError('Pass `fileName` (e.g. "conversations.jsonl") with a Blob: its extension tells JSON from JSONL');
      return { fileName, size: source.size, open: () => source.stream() as ReadableStream<Uint8Array>, reopenable: true, blob: async () => source };
    }
    if (!options.fileName) throw new BrightRunError('Pass `fileName` (e.g. "conversations.jsonl") when uploading a stream');
    const stream = isReadableStream(source) ? source : iterableToStream(source as AsyncIterable<Uint8Array>);
    let used = false;
    return {
      fileName: options.fileName,
      size: options.sizeBytes,
      open: () => {
        if (used) throw new BrightRunError('The upload stream was already consumed and cannot be sent again; pass a path or Blob to allow retries');
        used = true;
        return stream;
      },
      reopenable: false,
      blob: undefined,
    };
  }

  private async uploadSigned(source: Source, options: UploadOptions): Promise<Dataset> {
    const request = { signal: options.signal, timeout: options.timeout, maxRetries: options.maxRetries };
    const requested = await this.transport.graphql(
      RequestDatasetUploadDocument,
      { input: { fileName: source.fileName, name: options.name, description: options.description, sizeBytes: source.size } },
      { ...request, idempotent: false },
    );
    const { dataset, upload } = unwrap(requested.data.requestDatasetUpload, 'RequestDatasetUploadSuccess', requested.requestId);
    const headers: Record<string, string> = {};
    for (const header of upload.headers) headers[header.name] = header.value;
    const total = source.size;
    options.onProgress?.({ loaded: 0, total });
    await this.transport.http(
      async (signal, touch) => {
        let loaded = 0;
        const counted = source.open().pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              loaded += chunk.byteLength;
              touch();
              options.onProgress?.({ loaded, total });
              controller.enqueue(chunk);
            },
          }),
        );
        return this.transport.fetch(upload.url, { method: upload.method, headers, body: counted, signal, duplex: 'half' } as RequestInit);
      },
      { ...request, idempotent: source.reopenable },
    );
    const finalized = await this.transport.graphql(FinalizeDatasetUploadDocument, { input: { id: dataset.id } }, { ...request, idempotent: false });
    return unwrap(finalized.data.finalizeDatasetUpload, 'FinalizeDatasetUploadSuccess', finalized.requestId).dataset;
  }

  private async uploadMultipart(source: Source, options: UploadOptions): Promise<Dataset> {
    if (!source.blob) throw new BrightRunError('A multipart upload needs a path, File or Blob (a stream can only go the signed way)');
    const blob = await source.blob();
    const query = UploadDatasetDocument.toString();
    options.onProgress?.({ loaded: 0, total: blob.size });
    const { data, requestId } = await this.transport.graphqlMultipart<UploadDatasetMutation>(
      () => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query, variables: { input: { file: null, name: options.name, description: options.description } } }));
        form.set('map', JSON.stringify({ 0: ['variables.input.file'] }));
        form.set('0', blob, source.fileName);
        return form;
      },
      { signal: options.signal, timeout: options.timeout, maxRetries: options.maxRetries, idempotent: false },
    );
    options.onProgress?.({ loaded: blob.size, total: blob.size });
    return unwrap(data.uploadDataset, 'UploadDatasetSuccess', requestId).dataset;
  }
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as ReadableStream).getReader === 'function';
}

function iterableToStream(iterable: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = iterable[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}
