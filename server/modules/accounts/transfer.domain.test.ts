import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  accountColumns,
  contactColumns,
  csvCell,
  decodeText,
  duplicatesInFile,
  formatYuan,
  mapHeader,
  neutraliseText,
  parseYuan,
  readCell,
  readRows,
  restoreText,
  templateHelp,
  toOutCell,
  xlsxCell,
  zipDeclaredSize,
} from './transfer.domain.js';

const col = (key: string, columns = accountColumns) => columns.find((c) => c.key === key)!;

describe('money: yuan text ↔ integer fen, exactly', () => {
  it.each([
    ['1234.5', 123450],
    ['1234.50', 123450],
    ['0.01', 1],
    ['0.1', 10],
    ['12', 1200],
    [' 7 ', 700],
    ['1,234,567.89', 123456789],
    ['¥ 99.99', 9999],
    ['￥0', 0],
    ['90071992547409.91', 9007199254740991],
  ])('%s → %i fen', (text, fen) => {
    expect(parseYuan(text)).toEqual({ ok: true, value: fen });
  });

  it('has no float error where a float would have one', () => {
    // 1.15 * 100 = 114.99999999999999 and 4.35 * 100 = 434.99999999999994 in binary floating point
    expect(parseYuan('1.15')).toEqual({ ok: true, value: 115 });
    expect(parseYuan('4.35')).toEqual({ ok: true, value: 435 });
    expect(parseYuan('0.29')).toEqual({ ok: true, value: 29 });
  });

  it('refuses three or more decimals with its own message', () => {
    expect(parseYuan('1.005')).toMatchObject({ ok: false, key: 'import.cell.money_decimals' });
    expect(parseYuan('0.001')).toMatchObject({ ok: false, key: 'import.cell.money_decimals' });
  });

  it.each(['-1', '-12.50', '1e3', 'abc', '', '.5', '12.', '1,23.00', '12,3456', '1 000', '90071992547409.92'])('refuses %j', (text) => {
    expect(parseYuan(text).ok).toBe(false);
  });

  it('formats fen as yuan with two decimals and reads it back to the same fen', () => {
    expect(formatYuan(123450)).toBe('1234.50');
    expect(formatYuan(1)).toBe('0.01');
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(9007199254740991)).toBe('90071992547409.91');
    for (const fen of [0, 1, 5, 10, 99, 100, 115, 435, 123456789, 9007199254740991])
      expect(parseYuan(formatYuan(fen))).toEqual({ ok: true, value: fen });
  });

  it('reads an XLSX yuan number (fen / 100, as the export writes it) back to the same fen', () => {
    for (const fen of [1, 29, 115, 435, 123450, 123456789, 99999999999]) expect(parseYuan(String(fen / 100))).toEqual({ ok: true, value: fen });
  });
});

describe('formula neutralisation', () => {
  it.each(['=SUM(A1:A9)', '+86 138', '-12.50', '@cmd', '\t=1', '\r=1', '=HYPERLINK("http://x","y")'])('prefixes text %j with an apostrophe', (s) => {
    expect(neutraliseText(s)).toBe(`'${s}`);
    expect(csvCell(s)).toBe(`'${s}`);
    expect(xlsxCell(s)).toBe(`'${s}`);
  });

  it('leaves harmless text alone', () => {
    for (const s of ['华南电网', 'a=b', " '=x", '12.50', '']) expect(neutraliseText(s)).toBe(s);
  });

  it('leaves real numbers as numbers: negative numbers and amounts are not text', () => {
    expect(csvCell(-12)).toBe('-12');
    expect(xlsxCell(-12)).toBe(-12);
    expect(xlsxCell(-12.5)).toBe(-12.5);
    expect(csvCell({ fen: 1250 })).toBe('12.50');
    expect(xlsxCell({ fen: 1250 })).toBe(12.5);
    expect(csvCell(null)).toBe('');
    // a numeric column of the export stays a number, a text column is neutralised
    expect(xlsxCell(toOutCell(col('profitMarginPct'), -12, 'zh-CN'))).toBe(-12);
    expect(xlsxCell(toOutCell(col('region'), '-12', 'zh-CN'))).toBe("'-12");
  });

  it('is undone on import, exactly once', () => {
    expect(restoreText("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(restoreText("'+86 138")).toBe('+86 138');
    expect(restoreText("''=x")).toBe("''=x");
    expect(restoreText("'hello")).toBe("'hello");
    for (const s of ['=1', '-2', '@a', 'plain']) expect(restoreText(neutraliseText(s))).toBe(s);
  });
});

describe('headers', () => {
  it('accepts zh and en headers, with or without the unit, in full or half width', () => {
    const zh = mapHeader(['客户名称', '行业', '区域', '财年业绩指标（元）', '负责人邮箱'], accountColumns);
    const en = mapHeader(['account name', 'INDUSTRY', 'Region', 'Revenue target', 'Owner Email'], accountColumns);
    const keys = (r: typeof zh) => (r.ok ? r.value.map((c) => c?.key) : r.key);
    expect(keys(zh)).toEqual(['name', 'industry', 'region', 'revenueTargetMinor', 'ownerEmail']);
    expect(keys(en)).toEqual(['name', 'industry', 'region', 'revenueTargetMinor', 'ownerEmail']);
  });

  it('accepts the names the account list and the account page show, zh and en, en dash or hyphen', () => {
    const keys = (r: ReturnType<typeof mapHeader>) => (r.ok ? r.value.map((c) => c?.key) : r.key);
    const zh = [
      '客户',
      '行业',
      '区域',
      '关系阶梯',
      '负责人',
      '年度业绩指标',
      '近 1–2 年下单金额（元）',
      '近 12 个月按时付款率（%）',
      '发展前景（1–5）',
      '已购产品',
      '分级',
    ];
    expect(keys(mapHeader(zh, accountColumns))).toEqual([
      'name',
      'industry',
      'region',
      'ladder',
      'ownerEmail',
      'revenueTargetMinor',
      'orderAmountMinor',
      'onTimePaymentPct',
      'prospect',
      'products',
      undefined,
    ]);
    const en = [
      'Account',
      'Industry',
      'Region',
      'Ladder',
      'Owner',
      'Revenue target',
      'Order amount, last 1-2 years (CNY)',
      'Prospect (1–5)',
      'Products bought',
    ];
    expect(keys(mapHeader(en, accountColumns))).toEqual([
      'name',
      'industry',
      'region',
      'ladder',
      'ownerEmail',
      'revenueTargetMinor',
      'orderAmountMinor',
      'prospect',
      'products',
    ]);
    expect(keys(mapHeader(['客户', '姓名', '角色类型', '客户方项目组织', '客户关键人'], contactColumns))).toEqual([
      'accountName',
      'name',
      'side',
      'orgGroups',
      'isKeyPerson',
    ]);
    expect(keys(mapHeader(['Account', 'Name', 'Side', 'Customer-side organisation', 'Key person'], contactColumns))).toEqual([
      'accountName',
      'name',
      'side',
      'orgGroups',
      'isKeyPerson',
    ]);
    // every alias names one column only
    for (const columns of [accountColumns, contactColumns]) {
      const seen = new Map<string, string>();
      for (const c of columns)
        for (const a of [c.label['zh-CN'], c.label.en, ...(c.aliases ?? [])]) {
          expect(seen.get(a.toLowerCase()) ?? c.key).toBe(c.key);
          seen.set(a.toLowerCase(), c.key);
        }
    }
  });

  it("a template explains each column it holds in the reader's language", () => {
    const zh = templateHelp(accountColumns, 'zh-CN');
    expect(zh.header).toEqual(['列名', '必填', '填写说明', '可选值', '也可使用的列名']);
    expect(zh.rows.map((r) => r[0])).not.toContain('分级');
    expect(zh.rows.find((r) => r[0] === '客户名称')?.slice(0, 2)).toEqual(['客户名称', '是']);
    expect(zh.rows.find((r) => r[0] === '阶段')?.[3]).toContain('续约期');
    const en = templateHelp(contactColumns, 'en');
    expect(en.rows.find((r) => r[0] === 'Key person')?.[2]).toBe('yes / no');
  });

  it('ignores read-only and blank columns, refuses unknown, repeated and missing ones', () => {
    const r = mapHeader(['客户名称', '分级', '行业', '', '区域'], accountColumns);
    expect(r.ok && r.value.map((c) => c?.key ?? null)).toEqual(['name', null, 'industry', null, 'region']);
    expect(mapHeader(['客户名称', '行业', '区域', '备注X'], accountColumns)).toMatchObject({
      ok: false,
      key: 'import.unknown_columns',
      params: { columns: '备注X' },
    });
    expect(mapHeader(['客户名称', '行业', '区域', 'Region'], accountColumns)).toMatchObject({ ok: false, key: 'import.duplicate_columns' });
    expect(mapHeader(['客户名称', '行业'], accountColumns)).toMatchObject({ ok: false, key: 'import.missing_columns' });
  });

  it('maps every column by its zh label, its en label and its key, each to itself', () => {
    for (const columns of [accountColumns, contactColumns]) {
      const expected = columns.map((c) => (c.readOnly ? null : c.key));
      for (const header of [columns.map((c) => c.label['zh-CN']), columns.map((c) => c.label.en), columns.map((c) => c.key)]) {
        const r = mapHeader(header, columns);
        expect(r.ok && r.value.map((c) => c?.key ?? null)).toEqual(expected);
      }
    }
  });
});

describe('cells', () => {
  it('reads enums by code or by label in either language', () => {
    expect(readCell(col('stage'), '启动期')).toEqual({ value: 'startup' });
    expect(readCell(col('stage'), 'Startup')).toEqual({ value: 'startup' });
    expect(readCell(col('ladder'), 'key supplier')).toEqual({ value: 'key_supplier' });
    expect(readCell(col('ladder'), '关键供应商')).toEqual({ value: 'key_supplier' });
    expect(readCell(col('stage'), '发芽期')).toEqual({ problem: { key: 'import.cell.enum', params: { value: '发芽期' } } });
    expect(readCell(col('orgGroups', contactColumns), '业务落地组; KPI monitoring')).toEqual({ value: ['rollout', 'kpi_monitoring'] });
  });

  it('reads whole numbers, lists and yes/no', () => {
    expect(readCell(col('profitMarginPct'), '-12')).toEqual({ value: -12 });
    expect(readCell(col('onTimePaymentPct'), '95%')).toEqual({ value: 95 });
    expect(readCell(col('prospect'), '3.5').problem?.key).toBe('import.cell.int');
    expect(readCell(col('tags'), '重点；华南; 续约')).toEqual({ value: ['重点', '华南', '续约'] });
    expect(readCell(col('isKeyPerson', contactColumns), '是')).toEqual({ value: true });
    expect(readCell(col('isKeyPerson', contactColumns), 'No')).toEqual({ value: false });
    expect(readCell(col('isKeyPerson', contactColumns), 'maybe').problem?.key).toBe('import.cell.bool');
  });

  it('requires required cells and restores neutralised text', () => {
    expect(readCell(col('name'), '  ')).toEqual({ problem: { key: 'import.cell.required' } });
    expect(readCell(col('name'), "'=HYPERLINK(1)")).toEqual({ value: '=HYPERLINK(1)' });
    expect(readCell(col('industry'), '')).toEqual({ problem: { key: 'import.cell.required' } });
    expect(readCell(col('ownerEmail'), '')).toEqual({});
  });

  it('reads rows, keeping file row numbers, and finds repeated names', () => {
    const m = mapHeader(['客户名称', '行业', '区域', '财年业绩指标(元)'], accountColumns);
    if (!m.ok) throw new Error('header');
    const { records, problems } = readRows(m.value, [
      { row: 2, cells: ['甲', '能源', '华南', '1.5'] },
      { row: 3, cells: ['', '', '', ''] },
      { row: 4, cells: ['乙', '能源', '华南', '1.555'] },
      { row: 5, cells: ['甲', '能源'] },
    ]);
    expect(records.map((r) => r.row)).toEqual([2, 4, 5]);
    expect(records[0].values).toEqual({ name: '甲', industry: '能源', region: '华南', revenueTargetMinor: 150 });
    expect(problems).toEqual([
      { row: 4, field: 'revenueTargetMinor', key: 'import.cell.money_decimals', params: {} },
      { row: 5, field: 'region', key: 'import.cell.required', params: {} },
    ]);
    expect(duplicatesInFile(records, (v) => v.name as string, 'name')).toEqual([
      { row: 5, field: 'name', key: 'import.dup_in_file', params: { other: 2 } },
    ]);
  });
});

describe('files', () => {
  it('decodes UTF-8 (dropping the BOM) and falls back to GB18030', () => {
    expect(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('客户名称')]))).toBe('客户名称');
    expect(decodeText(Uint8Array.from([0xbf, 0xcd, 0xbb, 0xa7]))).toBe('客户'); // 客户 in GBK
  });

  it('reads the unpacked size an XLSX declares, and refuses what is not a zip', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(['x'.repeat(10_000)]);
    const buf = new Uint8Array(await wb.xlsx.writeBuffer());
    const size = zipDeclaredSize(buf)!;
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeGreaterThan(buf.byteLength);
    expect(zipDeclaredSize(new TextEncoder().encode('name,industry\n'))).toBeNull();
    expect(zipDeclaredSize(new Uint8Array(0))).toBeNull();
  });
});
