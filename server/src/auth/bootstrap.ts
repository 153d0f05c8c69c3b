import type { PrismaClient } from '../db/client.js';
import { newId } from '../ids.js';
import { generateApiKey, hashSecret, keyPrefix } from './keys.js';

export interface BootstrapResult {
  workspaceId: string;
  created: boolean;
  /** The admin key, present only when it was generated now (it is shown once). */
  generatedAdminKey?: string;
}

/**
 * First start: one workspace and one admin key. BRIGHTRUN_ADMIN_KEY seeds a known key for
 * automation; otherwise a key is generated and returned once for the log.
 */
export async function bootstrapWorkspace(prisma: PrismaClient, adminKey?: string): Promise<BootstrapResult> {
  const existing = await prisma.workspace.findFirst({ orderBy: { createdAt: 'asc' } });
  if (existing) {
    if (adminKey) await ensureKey(prisma, existing.id, adminKey);
    return { workspaceId: existing.id, created: false };
  }
  const created = await createWorkspace(prisma, 'Default workspace', adminKey);
  return { workspaceId: created.workspaceId, created: true, generatedAdminKey: adminKey ? undefined : created.adminKey };
}

/** A workspace with its settings and one admin key (operators run `npm run workspace:create`). */
export async function createWorkspace(prisma: PrismaClient, name: string, adminKey = generateApiKey()) {
  const workspaceId = newId('ws');
  await prisma.$transaction([
    prisma.workspace.create({ data: { id: workspaceId, name } }),
    prisma.workspaceSettings.create({ data: { workspaceId } }),
    prisma.apiKey.create({
      data: { id: newId('key'), workspaceId, name: 'Admin key', prefix: keyPrefix(adminKey), keyHash: hashSecret(adminKey), scopes: ['READ', 'WRITE', 'ADMIN'] },
    }),
  ]);
  return { workspaceId, adminKey };
}

async function ensureKey(prisma: PrismaClient, workspaceId: string, key: string) {
  const keyHash = hashSecret(key);
  const found = await prisma.apiKey.findUnique({ where: { keyHash } });
  if (!found) {
    await prisma.apiKey.create({
      data: { id: newId('key'), workspaceId, name: 'Admin key (BRIGHTRUN_ADMIN_KEY)', prefix: keyPrefix(key), keyHash, scopes: ['READ', 'WRITE', 'ADMIN'] },
    });
  }
}
