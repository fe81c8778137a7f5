import { describe, expect, it } from 'vitest';
import { mapHeader, parseDay, readCell, readRows } from '../accounts/transfer.domain.js';
import { batches, importColumnsOf, importKinds, paymentImportColumns, timeEntryImportColumns } from './import.domain.js';

describe('ERP import columns', () => {
  it('reads days as spreadsheets write them, refusing days that do not exist', () => {
    expect(parseDay('2025-03-31')).toBe('2025-03-31');
    expect(parseDay('2025/3/1')).toBe('2025-03-01');
    expect(parseDay('2025.12.09')).toBe('2025-12-09');
    expect(parseDay('2025年3月1日')).toBe('2025-03-01');
    expect(parseDay('2024-02-29T00:00:00.000Z')).toBe('2024-02-29');
    expect(parseDay('2025-02-29')).toBeNull();
    expect(parseDay('2025-13-01')).toBeNull();
    expect(parseDay('31/03/2025')).toBeNull();
    expect(parseDay('2025-03-31T08:00:00.000Z')).toBeNull();
  });

  it('reads hours with at most two decimals', () => {
    const hours = timeEntryImportColumns.find((c) => c.key === 'hours')!;
    expect(readCell(hours, '7.5')).toEqual({ value: 7.5 });
    expect(readCell(hours, '8')).toEqual({ value: 8 });
    expect(readCell(hours, '7.125').problem?.key).toBe('import.cell.decimal');
    expect(readCell(hours, '-1').problem?.key).toBe('import.cell.decimal');
    expect(readCell(hours, '').problem?.key).toBe('import.cell.required');
  });

  it('maps zh, en and ERP header names to the same columns; each kind requires its ERP id', () => {
    const zh = mapHeader(['ERP编号', '合同编号', '回款日期', '回款金额', '凭证号'], paymentImportColumns);
    expect(zh.ok && zh.value.map((c) => c?.key)).toEqual(['externalRef', 'contractNumber', 'receivedOn', 'amountMinor', 'reference']);
    const en = mapHeader(['ERP ID', 'Contract number', 'Received on', 'Amount received (CNY)'], paymentImportColumns);
    expect(en.ok).toBe(true);
    for (const kind of importKinds) {
      const withoutRef = importColumnsOf[kind].filter((c) => c.required && c.key !== 'externalRef').map((c) => c.label.en);
      const r = mapHeader(withoutRef, importColumnsOf[kind]);
      expect(r.ok ? null : r.params?.columns).toBe('ERP编号 / ERP ID');
    }
    const m = mapHeader(['ERP ID', 'Contract number', 'Received on', 'Amount received (CNY)'], paymentImportColumns);
    const { records, problems } = readRows(m.ok ? m.value : [], [{ row: 2, cells: ['R-1', 'HT-1', '2025/1/2', '1,000.50'] }]);
    expect(problems).toEqual([]);
    expect(records[0].values).toEqual({ externalRef: 'R-1', contractNumber: 'HT-1', receivedOn: '2025-01-02', amountMinor: 100_050 });
  });

  it('splits rows into batches of a thousand', () => {
    const rows = Array.from({ length: 2501 }, (_, i) => i);
    expect(batches(rows).map((b) => b.length)).toEqual([1000, 1000, 501]);
    expect(batches([])).toEqual([]);
  });
});
