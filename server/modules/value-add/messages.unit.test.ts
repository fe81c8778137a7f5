import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasMessage, translate } from '../../platform/i18n.js';

/** Every message key the value-add and opportunities code can send exists in zh-CN and en. */
describe('server messages of the value-add track', () => {
  const dirs = [path.resolve('server/modules/value-add'), path.resolve('server/modules/opportunities')];
  const keys = new Set<string>();
  for (const dir of dirs) {
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts') && !x.includes('.test.'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/(?:fail|invalid|conflict|notFound)\('([a-z_]+\.[a-z_]+)'/g)) keys.add(m[1]);
      for (const m of src.matchAll(/AppError\([^,]+, '([a-z_]+\.[a-z_]+)'/g)) keys.add(m[1]);
    }
  }
  it('finds the keys', () => expect(keys.size).toBeGreaterThan(25));
  it.each([...keys].sort())('%s is translated', (key) => {
    expect(hasMessage(key)).toBe(true);
    expect(translate('zh-CN', key)).not.toBe(translate('en', key));
  });
});
