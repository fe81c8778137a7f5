/**
 * The tier vocabulary (客户分级, SPEC §1): A strategic, B some contribution, C major upside, D low,
 * E channel account. A and C are the key core accounts (重点核心客户): a CSM owns every request end to
 * end, they have a customer-operations budget, the butler service, the key menu and the closer
 * relationship checks. The rule is written here once.
 *
 * Pure vocabulary with no imports: other modules' pure domain files may import this file directly (so
 * they stay free of the accounts module's runtime); everything else takes it from accounts/index.ts.
 */
export const tiers = ['A', 'B', 'C', 'D', 'E'] as const;
export type Tier = (typeof tiers)[number];

export const KEY_TIERS = ['A', 'C'] as const satisfies readonly Tier[];
export type KeyTier = (typeof KEY_TIERS)[number];

/** Is the tier one of the key core tiers (A, C)? */
export function isKeyTier(tier: string | null | undefined): tier is KeyTier {
  return (KEY_TIERS as readonly (string | null | undefined)[]).includes(tier);
}
