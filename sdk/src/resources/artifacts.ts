import { BrightRunError, ChecksumError, ConnectionError, errorFromResponse } from '../errors.js';
import { ModelArtifactDocument, ModelArtifactsDocument, type ArtifactFieldsFragment, type ModelArtifactFilter } from '../graphql/generated/graphql.js';
import { PagedList, pageOf, type ListOptions } from '../core/pagination.js';
import { found } from '../core/results.js';
import { retryAfterMs } from '../core/retry.js';
import type { RequestOptions, Transport } from '../core/transport.js';
import type { TransferProgress } from './datasets.js';

/** A trained adapter with its files and lineage (the fields of `ArtifactFields` in sdk/src/operations). */
export type Artifact = ArtifactFieldsFragment;

export interface DownloadOptions extends RequestOptions {
  /** Only these files (by name); default every file of the artifact. */
  files?: string[] | undefined;
  /** Called as bytes arrive: per file and for the whole download. */
  onProgress?: ((progress: TransferProgress & { file: string; overall: TransferProgress }) => void) | undefined;
}

export interface DownloadedFile {
  name: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  /** Bytes found from an interrupted earlier download and kept (HTTP Range); 0 when it started fresh. */
  resumedFromBytes: number;
  /** It was already there, complete and with the right sha256: nothing was fetched. */
  skipped: boolean;
}

export interface ArtifactListOptions extends ListOptions {
  filter?: ModelArtifactFilter | undefined;
}

/** `br.artifacts`: trained LoRA adapters (PEFT format) and their files. */
export class Artifacts {
  constructor(private readonly transport: Transport) {}

  /** Trained adapters, newest first, as an async iterable over keyset pages. */
  list(options: ArtifactListOptions = {}): PagedList<Artifact> {
    return new PagedList(async (after, first, request) => {
      const { data } = await this.transport.graphql(ModelArtifactsDocument, { first, after, filter: options.filter }, { ...request, idempotent: true });
      return pageOf(data.modelArtifacts);
    }, options);
  }

  /** One artifact (its files carry signed download links valid an hour); throws NotFoundError. */
  async get(id: string, options: RequestOptions = {}): Promise<Artifact> {
    const { data, requestId } = await this.transport.graphql(ModelArtifactDocument, { id }, { ...options, idempotent: true });
    return found(data.modelArtifact, 'model artifact', id, requestId);
  }

  /**
   * Downloads the adapter's files into `dir` (Node, Deno, Bun). Each file is written as
   * `<name>.part` and renamed once its sha256 matches the recorded one (else ChecksumError and the
   * part is removed); an interrupted download resumes with an HTTP Range request, and a file
   * already complete is not fetched again.
   */
  async download(id: string, dir: string, options: DownloadOptions = {}): Promise<DownloadedFile[]> {
    const platform = this.transport.platform;
    if (!platform.downloadTarget) throw new BrightRunError('Downloading into a folder needs a file system (Node, Deno, Bun): in a browser use the files\' downloadUrl from artifacts.get');
    const artifact = await this.get(id, options);
    const wanted = options.files ? artifact.files.filter((f) => options.files!.includes(f.name)) : artifact.files;
    const missing = options.files?.filter((name) => !artifact.files.some((f) => f.name === name)) ?? [];
    if (missing.length > 0) throw new BrightRunError(`Artifact ${id} has no file named ${missing.map((m) => `"${m}"`).join(', ')}; it has ${artifact.files.map((f) => f.name).join(', ')}`);
    const overall = { loaded: 0, total: wanted.reduce((sum, f) => sum + f.sizeBytes, 0) };
    const results: DownloadedFile[] = [];
    for (const file of wanted) {
      const target = await platform.downloadTarget(dir, file.name);
      const base = overall.loaded;
      if (await target.alreadyComplete(file.sha256)) {
        overall.loaded += file.sizeBytes;
        options.onProgress?.({ file: file.name, loaded: file.sizeBytes, total: file.sizeBytes, overall: { ...overall } });
        results.push({ name: file.name, path: `${dir}/${file.name}`, sizeBytes: file.sizeBytes, sha256: file.sha256, resumedFromBytes: 0, skipped: true });
        continue;
      }
      let resumedFrom = Math.min(target.partialBytes, file.sizeBytes);
      let url = file.downloadUrl;
      let attempts = 0;
      for (;;) {
        try {
          resumedFrom = await this.fetchInto(url, target, resumedFrom, file.sizeBytes, (loaded) => {
            overall.loaded = base + loaded;
            options.onProgress?.({ file: file.name, loaded, total: file.sizeBytes, overall: { ...overall } });
          }, options);
          break;
        } catch (error) {
          // A link that expired (403) mid-way: get fresh links once and go on from what is on disk.
          if ((error as { status?: number }).status === 403 && attempts++ === 0) {
            url = (await this.get(id, options)).files.find((f) => f.name === file.name)?.downloadUrl ?? url;
            resumedFrom = (await platform.downloadTarget(dir, file.name)).partialBytes;
            continue;
          }
          throw error;
        }
      }
      const actual = await target.sha256();
      if (actual !== file.sha256) {
        await target.discard();
        throw new ChecksumError(`${file.name}: sha256 ${actual} does not match the recorded ${file.sha256}; the partial file was removed, download again`, file.name, file.sha256, actual);
      }
      const path = await target.commit();
      overall.loaded = base + file.sizeBytes;
      results.push({ name: file.name, path, sizeBytes: file.sizeBytes, sha256: file.sha256, resumedFromBytes: resumedFrom, skipped: false });
    }
    return results;
  }

  /** Fetches `url` from byte `from` into the target (Range when from > 0); returns the byte it resumed from. */
  private async fetchInto(url: string, target: Awaited<ReturnType<NonNullable<Transport['platform']['downloadTarget']>>>, from: number, size: number, progress: (loaded: number) => void, options: RequestOptions): Promise<number> {
    let resumedFrom = from;
    await this.transport.withRetries({ ...options }, true, async (signal, touch) => {
      const partial = await target.currentBytes();
      const start = Math.min(partial, size);
      const headers: Record<string, string> = start > 0 ? { range: `bytes=${start}-` } : {};
      const response = await this.transport.fetch(url, { headers, signal });
      if (!response.ok && response.status !== 416) {
        await response.body?.cancel();
        throw errorFromResponse(response.status, [{ message: `The download link answered HTTP ${response.status}` }], response.headers.get('x-request-id') ?? undefined, retryAfterMs(response.headers));
      }
      if (response.status === 416) {
        // The part is as long as the file already (or longer): start over.
        await response.body?.cancel();
        const writer = await target.writer(true);
        await writer.close();
        throw new ConnectionError('the partial download did not fit the file; starting over');
      }
      const appending = response.status === 206;
      resumedFrom = appending ? start : 0;
      const writer = await target.writer(!appending);
      let loaded = resumedFrom;
      progress(loaded);
      try {
        if (response.body) {
          const reader = response.body.getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            await writer.write(value);
            touch();
            loaded += value.byteLength;
            progress(loaded);
          }
        }
      } finally {
        await writer.close();
      }
      if (loaded !== size) throw new ConnectionError(`the download of ${size} bytes ended after ${loaded}`);
    });
    return resumedFrom;
  }
}
