/** Domain paths are 'ROOT', 'ROOT/a', 'ROOT/a/b': a domain is in its own subtree and in its ancestors'. */
export const inSubtree = (path: string, base: string): boolean => path === base || path.startsWith(`${base}/`);

/** How CloudStack prints an account in its messages (AccountVO.toString). */
export const acctText = (a: { id: string; name: string }): string => `Acct[${a.id}-${a.name}]`;
