/** Whether one of the caller's ownership refs is among the approvers (`group:team`, `team` and `group:default/team` alike). */
export function isApprover(ownershipEntityRefs: readonly string[], approvers: readonly string[]): boolean {
  const full = (ref: string) => {
    const lower = ref.toLowerCase();
    const withKind = lower.includes(':') ? lower : `group:${lower}`;
    const [kind, rest] = [withKind.slice(0, withKind.indexOf(':')), withKind.slice(withKind.indexOf(':') + 1)];
    return rest.includes('/') ? `${kind}:${rest}` : `${kind}:default/${rest}`;
  };
  const mine = new Set(ownershipEntityRefs.map(full));
  return approvers.some((a) => mine.has(full(a)));
}
