// A bulk action: the single action applied to each row in its own transaction, so one refusal undoes
// nothing; each row is reported done or refused, with the refusal in the actor's words.
import { AppError } from './errors.js';
import { translate, type Locale } from './i18n.js';

export type BulkOutcome = { done: string[]; refused: { id: string; reason: string }[] };

export async function eachRow(ids: readonly string[], locale: Locale, act: (id: string) => Promise<unknown>): Promise<BulkOutcome> {
  const out: BulkOutcome = { done: [], refused: [] };
  for (const id of new Set(ids)) {
    try {
      await act(id);
      out.done.push(id);
    } catch (e) {
      // an unexpected failure of one row (a lost lock, a dropped connection) is that row's refusal, not the batch's
      const reason = e instanceof AppError ? e.render(locale).message : translate(locale, 'error.internal');
      out.refused.push({ id, reason });
    }
  }
  return out;
}
