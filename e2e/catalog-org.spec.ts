import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './catalog-support';

type Group = { metadata: { title?: string; name: string }; relations: Array<{ type: string; targetRef: string }> };

test.describe('groups and users', () => {
  test('a group page shows its hierarchy, members and what it owns', async ({ page, request }) => {
    const group = (await (await request.get('/api/catalog/entities/by-name/group/default/storefront-team')).json()) as Group;
    const members = group.relations.filter((r) => r.type === 'hasMember');
    await page.goto('/catalog/default/group/storefront-team');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(group.metadata.title ?? group.metadata.name);

    const hierarchy = page.getByRole('navigation', { name: 'Parent groups' });
    await expect(hierarchy.getByRole('link')).toHaveCount(2);
    await expect(hierarchy.getByRole('link').last()).toHaveAttribute('href', '/catalog/default/group/commerce-engineering');

    const memberList = page.getByRole('list', { name: 'Members' });
    await expect(memberList.getByRole('listitem')).toHaveCount(members.length);

    const ownership = page.getByRole('list', { name: 'Owned entities by kind' });
    const components = ownership.getByRole('link', { name: /components?$/ });
    await expect(components).toBeVisible();
    const count = Number((await components.textContent())?.match(/\d+/)?.[0]);
    await components.click();
    await expect(page).toHaveURL(/\/catalog\?kind=component&owner=group%3Adefault%2Fstorefront-team/);
    await expect(page.getByRole('status').filter({ hasText: /components?$/ })).toHaveText(`${count} ${count === 1 ? 'component' : 'components'}`);
  });

  test('ownership can include sub-groups', async ({ page, request }) => {
    const direct = (await (await request.get('/api/catalog/entity-facets?facet=kind&filter=relations.ownedby=group:default/commerce-engineering')).json()) as {
      facets: { kind: Array<{ count: number }> };
    };
    const directTotal = direct.facets.kind.reduce((sum, f) => sum + f.count, 0);
    await page.goto('/catalog/default/group/commerce-engineering');
    const ownership = page.getByRole('region', { name: 'Ownership' });
    const tiles = ownership.getByRole('list', { name: 'Owned entities by kind' }).getByRole('link');
    const total = async () => (await tiles.allTextContents()).reduce((sum, text) => sum + Number(text.match(/\d+/)?.[0] ?? 0), 0);
    await expect.poll(total).toBe(directTotal);
    await ownership.getByText('With sub-groups').click();
    await expect(ownership.getByRole('link', { name: /components?$/ })).toBeVisible();
    expect(await total()).toBeGreaterThan(directTotal);
  });

  test('a user page shows the profile and groups', async ({ page, request }) => {
    const users = (await (
      await request.get('/api/catalog/entities/by-query?limit=1&filter=kind=user,relations.memberof=group:default/storefront-team')
    ).json()) as {
      items: Array<{ metadata: { name: string }; spec: { profile?: { displayName?: string; email?: string } } }>;
    };
    const user = users.items[0]!;
    await page.goto(`/catalog/default/user/${user.metadata.name}`);
    const profile = page.getByRole('region', { name: 'Profile' });
    if (user.spec.profile?.email)
      await expect(profile.getByRole('link', { name: user.spec.profile.email })).toHaveAttribute('href', `mailto:${user.spec.profile.email}`);
    await expect(profile.getByRole('link', { name: /Storefront/ })).toHaveAttribute('href', '/catalog/default/group/storefront-team');
    await expect(page.getByRole('region', { name: 'Ownership' })).toBeVisible();
  });

  test('the group page has no serious accessibility violations', async ({ page }) => {
    await page.goto('/catalog/default/group/storefront-team');
    await expect(page.getByRole('list', { name: 'Members' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Owned entities by kind' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });
});
