import type { Dataset, PrismaClient } from '../generated/prisma/client.js';
import { ConfirmationMismatchError, NotFoundError, ResourceInUseError } from '../errors.js';
import { ACTIVE_STATUSES } from '../training/state-machine.js';

/**
 * Deletes a dataset after its name was typed to confirm. Refused while a job trains on it. The
 * row is hidden (soft delete) and its files kept: jobs and models trained on it keep their lineage.
 */
export async function deleteDataset(prisma: PrismaClient, workspaceId: string, id: string, confirmName: string): Promise<Dataset> {
  const dataset = await prisma.dataset.findFirst({ where: { id, workspaceId, deletedAt: null } });
  if (!dataset) throw new NotFoundError('dataset', id);
  if (confirmName.trim() !== dataset.name) throw new ConfirmationMismatchError('dataset', dataset.name);
  const running = await prisma.trainingJob.findMany({ where: { datasetId: id, status: { in: [...ACTIVE_STATUSES] } }, select: { id: true } });
  if (running.length > 0) {
    throw new ResourceInUseError(`"${dataset.name}" has ${running.length} job${running.length === 1 ? '' : 's'} still running; cancel ${running.length === 1 ? 'it' : 'them'} or wait, then delete`, running.map((j) => j.id));
  }
  return prisma.dataset.update({ where: { id }, data: { deletedAt: new Date() } });
}
