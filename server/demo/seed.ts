export async function seedDemo(..._a: unknown[]): Promise<{ workspaceId: string; logins: { role: string; email: string; password: string; name: string }[] }> { throw new Error('not yet'); }
