// zod schemas for the accounts module's edges (HTTP and imports).
import { z } from 'zod';
import { tiers } from './grading.domain.js';
import { ladderLevels, stages, toCStages } from './lifecycle.domain.js';
import { orgGroups, ourSides, theirSides } from './relationships.domain.js';
import { segmentFields } from './segments.domain.js';

export const Tier = z.enum(tiers);
export const Stage = z.enum(stages);
export const ToCStage = z.enum(toCStages);
export const Ladder = z.enum(ladderLevels);
const text = (max = 100) => z.string().trim().min(1).max(max);
/** Money in integer minor units (fen): no fractions, no negatives. */
export const Minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Query values may come repeated (?tier=A&tier=C) or comma-separated (?tier=A,C); an empty one (?tier=) is no filter. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .preprocess((v) => {
      if (v === undefined) return undefined;
      const xs = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean);
      return xs.length ? xs : undefined;
    }, z.array(item).max(50).optional())
    .optional();

/** The most rows one bulk action (or a selection's export) takes. */
export const BULK_MAX = 200;
/** a selection of rows: uuids, repeated or comma-separated */
export const IdList = z.preprocess((v) => {
  if (v === undefined) return undefined;
  const xs = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean);
  return xs.length ? xs : undefined;
}, z.array(z.uuid()).max(BULK_MAX).optional());
export const BulkIds = z.array(z.uuid()).min(1).max(BULK_MAX);
/** The answer of a bulk action: each row done or refused (in words); one refusal undoes nothing. */
export const BulkResult = z.object({ done: z.array(z.string()), refused: z.array(z.object({ id: z.string(), reason: z.string() })) });

export const ListAccountsQuery = z.strictObject({
  ids: IdList,
  tier: list(Tier),
  stage: list(Stage),
  toCStage: list(ToCStage),
  ladder: list(Ladder),
  industry: list(z.string().max(50)),
  region: list(z.string().max(50)),
  tag: list(z.string().max(40)),
  channel: list(z.enum(['direct', 'channel'])),
  ownerId: z.uuid().optional(),
  segmentId: z.uuid().optional(),
  /** `at_risk`: the signed-in user's accounts at risk, exactly those the workbench's card counts */
  risk: z.enum(['at_risk']).optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(['name', 'tier', 'stage', 'revenueTarget', 'updatedAt', 'valueScore']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

const Contract = z.strictObject({ no: text(50), title: text(200), signedOn: z.iso.date().optional(), amountMinor: Minor.optional() });

export const AccountBody = z.strictObject({
  name: text(100),
  industry: text(50),
  region: text(50),
  channelPartnerId: z.uuid().nullish(),
  ownerId: z.uuid().nullish(),
  revenueTargetMinor: Minor.optional(),
  fiscalYear: z.number().int().min(2000).max(2100).optional(),
  products: z.array(text(100)).max(50).optional(),
  contracts: z.array(Contract).max(100).optional(),
  tags: z.array(text(40)).max(30).optional(),
  onTimePaymentPct: z.number().int().min(0).max(100).nullish(),
  orderAmountMinor: Minor.optional(),
  prospect: z.number().int().min(1).max(5).nullish(),
  profitMarginPct: z.number().int().min(-100).max(100).nullish(),
  stage: Stage.optional(),
  toCStage: ToCStage.nullish(),
  ladder: Ladder.optional(),
});
export const AccountPatch = AccountBody.omit({ stage: true, ladder: true })
  .partial()
  .extend({
    /** why a factor computed from contracts and payments is overridden by hand (required then) */
    factorReason: z.string().trim().min(1).max(500).optional(),
  });

export const ContactBody = z.strictObject({
  name: text(50),
  title: z.string().trim().max(100).nullish(),
  department: z.string().trim().max(100).nullish(),
  email: z.email().max(254).nullish(),
  phone: z.string().trim().max(40).nullish(),
  side: z.enum(theirSides).optional(),
  orgGroups: z.array(z.enum(orgGroups)).max(4).optional(),
  isKeyPerson: z.boolean().optional(),
  notes: z.string().max(2000).nullish(),
});

export const LinkBody = z.strictObject({
  userId: z.uuid(),
  ourSide: z.enum(ourSides),
  contactId: z.uuid(),
  strength: z.number().int().min(1).max(5),
  lastContactAt: z.coerce.date().nullish(),
  note: z.string().max(1000).nullish(),
});

const Weights = z.strictObject({
  credit: z.number().int().min(0).max(100),
  orderAmount: z.number().int().min(0).max(100),
  prospect: z.number().int().min(0).max(100),
  profit: z.number().int().min(0).max(100),
});
export const GradingModelBody = z.strictObject({
  valueWeights: Weights,
  potentialWeights: Weights,
  thresholds: z.strictObject({
    valueHigh: z.number().int().min(0).max(100),
    valueLow: z.number().int().min(0).max(100),
    potentialHigh: z.number().int().min(0).max(100),
  }),
});

const enumValues: Partial<Record<(typeof segmentFields)[number], readonly string[]>> = {
  tier: tiers,
  stage: stages,
  toCStage: toCStages,
  ladder: ladderLevels,
  channel: ['direct', 'channel'],
};
export const SegmentCondition = z
  .strictObject({ field: z.enum(segmentFields), values: z.array(z.string().trim().min(1).max(50)).min(1).max(50) })
  .superRefine((c, ctx) => {
    const allowed = enumValues[c.field];
    const bad = allowed ? c.values.filter((v) => !allowed.includes(v)) : [];
    if (bad.length) ctx.addIssue({ code: 'custom', path: ['values'], message: `${c.field}: ${bad.join(', ')} ∉ {${allowed!.join(', ')}}` });
  });
export const SegmentBody = z.strictObject({
  name: text(50),
  description: z.string().max(500).nullish(),
  rules: z.array(SegmentCondition).min(1).max(20),
});
