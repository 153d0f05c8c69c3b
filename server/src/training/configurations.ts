import type { PrismaClient, TrainingConfiguration } from '../generated/prisma/client.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { keyset, pageOf, type PageRequest, type PageResult } from '../db/keyset.js';
import { resolveTrainingConfig, type PresetKey, type TrainingOverrides } from './presets/index.js';

export const MAX_CONFIGURATION_NAME = 100;

/** Saved, named configurations: a preset plus the fields that differ from it, validated like a launch. */
export class ConfigurationService {
  constructor(private readonly prisma: PrismaClient) {}

  find(workspaceId: string, id: string): Promise<TrainingConfiguration | null> {
    return this.prisma.trainingConfiguration.findFirst({ where: { id, workspaceId } });
  }

  /** Most recently saved first. */
  async list(workspaceId: string, page: PageRequest): Promise<PageResult<TrainingConfiguration>> {
    const { orderBy, where, take } = keyset({ field: 'updatedAt', direction: 'desc' }, page);
    return pageOf(await this.prisma.trainingConfiguration.findMany({ where: { AND: [{ workspaceId }, ...(where ? [where] : [])] }, orderBy, take }), page);
  }

  count(workspaceId: string): Promise<number> {
    return this.prisma.trainingConfiguration.count({ where: { workspaceId } });
  }

  /** Saves (or replaces, by name) after validating every field. */
  async save(workspaceId: string, input: { name: string; preset?: PresetKey | null; overrides?: TrainingOverrides | null }): Promise<TrainingConfiguration> {
    const name = input.name.trim();
    if (!name || name.length > MAX_CONFIGURATION_NAME) throw new ValidationError([{ field: 'input.name', message: `must be 1–${MAX_CONFIGURATION_NAME} characters` }]);
    const resolved = resolveTrainingConfig({ preset: input.preset, overrides: input.overrides });
    if (!resolved.ok) throw new ValidationError(resolved.fieldErrors.map((e) => ({ field: e.field === 'preset' ? 'input.preset' : `input.overrides.${e.field}`, message: e.message })));
    const c = resolved.config;
    const overrides = Object.fromEntries(c.customizedFields.map((f) => [f, c[f as keyof typeof c]]));
    const data = { preset: c.preset, hyperparameters: overrides, baseModel: c.baseModel, gpuType: c.gpuType, cloudType: c.cloudType, maxDurationHours: c.maxDurationHours };
    return this.prisma.trainingConfiguration.upsert({
      where: { workspaceId_name: { workspaceId, name } },
      create: { id: newId('cfg'), workspaceId, name, ...data },
      update: data,
    });
  }

  /** Jobs started from it keep their frozen copy; their link to it is cleared. */
  async delete(workspaceId: string, id: string): Promise<TrainingConfiguration> {
    const found = await this.find(workspaceId, id);
    if (!found) throw new NotFoundError('training configuration', id);
    await this.prisma.$transaction([
      this.prisma.trainingJob.updateMany({ where: { configurationId: id }, data: { configurationId: null } }),
      this.prisma.trainingConfiguration.delete({ where: { id } }),
    ]);
    return found;
  }
}
