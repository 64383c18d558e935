import type { Router } from 'express';
import type { CatalogContext } from '../catalogContext.js';

/** GET /providers: the status of every entity provider (Atrium's own route, not Backstage's). */
export function registerProviderRoutes(router: Router, ctx: CatalogContext): void {
  router.get('/providers', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'catalog.provider.read' });
    res.json({ items: await ctx.providers.list() });
  });
}
