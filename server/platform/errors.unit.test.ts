import { describe, expect, it } from 'vitest';
import { AppError, fail, unwrap } from './errors.js';

describe('errors rendered for the user', () => {
  it('turns a rule failure into a 400 whose field message is in words, in either language', () => {
    let err: unknown;
    try {
      unwrap(fail('grading.thresholds', {}, 'thresholds'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const zh = (err as AppError).render('zh-CN');
    const en = (err as AppError).render('en');
    expect(zh.error).toBe('invalid');
    expect(zh.fields).toEqual([{ field: 'thresholds', message: zh.message }]);
    expect(en.fields![0].message).toMatch(/^Thresholds must satisfy/);
    expect(en.fields![0].message).not.toContain('grading.');
  });

  it('keeps free-text field messages as they are', () => {
    const e = new AppError('invalid', 'error.validation', { detail: 'x' }, [{ field: 'name', message: 'taken' }]);
    expect(e.render('en').fields).toEqual([{ field: 'name', message: 'taken' }]);
  });
});
