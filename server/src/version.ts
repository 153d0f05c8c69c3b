import { readFileSync } from 'node:fs';

/**
 * The project's version: the root package.json's `version`, read once. The API release and the
 * trainer image tag follow it (the server launches `ghcr.io/brightrun/lora-trainer:<version>`,
 * which .github/workflows/trainer-image.yml publishes from trainer/Dockerfile).
 */
export const PROJECT_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Where the trainer image is published; the tag is the project version, never `latest`. */
export const TRAINER_IMAGE_REPOSITORY = 'ghcr.io/brightrun/lora-trainer';
export const DEFAULT_TRAINER_IMAGE = `${TRAINER_IMAGE_REPOSITORY}:${PROJECT_VERSION}`;
