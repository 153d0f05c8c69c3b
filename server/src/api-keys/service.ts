import type { ApiKey, PrismaClient, Workspace } from '../generated/prisma/client.js';
import { generateApiKey, hashSecret, keyPrefix } from '../auth/keys.js';
import type { Scope } from '../auth/authenticate.js';
import { NotFoundError, ValidationError, type FieldProblem } from '../errors.js';
import { newId } from '../ids.js';
import { keyset, pageOf, type PageRequest, type PageResult } from '../db/keyset.js';

export const MAX_KEY_NAME = 100;

/** API keys of a workspace (the secret is shown once, at creation) and the workspace itself. */
export class ApiKeyService {
  constructor(
    private readonly prisma: PrismaClient,
    /** Told after a key is revoked (the service container publishes it to every instance). */
    private readonly onRevoked: (key: ApiKey) => void | Promise<void> = () => undefined,
  ) {}

  workspace(id: string): Promise<Workspace | null> {
    return this.prisma.workspace.findUnique({ where: { id } });
  }

  /** Newest first, revoked ones included. */
  async list(workspaceId: string, page: PageRequest): Promise<PageResult<ApiKey>> {
    const { orderBy, where, take } = keyset({ field: 'createdAt', direction: 'desc' }, page);
    return pageOf(await this.prisma.apiKey.findMany({ where: { AND: [{ workspaceId }, ...(where ? [where] : [])] }, orderBy, take }), page);
  }

  count(workspaceId: string): Promise<number> {
    return this.prisma.apiKey.count({ where: { workspaceId } });
  }

  find(workspaceId: string, id: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findFirst({ where: { id, workspaceId } });
  }

  async create(workspaceId: string, input: { name: string; scopes: Scope[] }): Promise<{ apiKey: ApiKey; secret: string }> {
    const name = input.name.trim();
    const problems: FieldProblem[] = [];
    if (name.length === 0 || name.length > MAX_KEY_NAME) problems.push({ field: 'input.name', message: `must be 1–${MAX_KEY_NAME} characters` });
    if (input.scopes.length === 0) problems.push({ field: 'input.scopes', message: 'give at least one scope: READ, WRITE or ADMIN' });
    if (problems.length > 0) throw new ValidationError(problems);
    const secret = generateApiKey();
    const apiKey = await this.prisma.apiKey.create({
      data: { id: newId('key'), workspaceId, name, prefix: keyPrefix(secret), keyHash: hashSecret(secret), scopes: [...new Set(input.scopes)] },
    });
    return { apiKey, secret };
  }

  /** Revokes at once; the key making the call cannot revoke itself. */
  async revoke(workspaceId: string, id: string, callerKeyId: string): Promise<ApiKey> {
    const key = await this.find(workspaceId, id);
    if (!key) throw new NotFoundError('API key', id);
    if (callerKeyId === key.id) throw new ValidationError([{ field: 'input.id', message: 'this is the key making the call; revoke it with another admin key' }]);
    if (key.revokedAt) return key;
    const revoked = await this.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    await this.onRevoked(revoked);
    return revoked;
  }
}
