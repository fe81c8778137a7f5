import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, uploadFile, type Json } from '../../test/fixtures.js';

let t: TestApp;
let manager: Client, admin: Client, sales: Client, csm: Client, delivery: Client, admin2: Client, kp: Client;
let accA: string, accB: string, today: string;
const PW = 'Portal-pass-2026';
const day = (d: number) => DateTime.fromISO(today).plus({ days: d }).toISODate()!;
const csv = (lines: string[], name = 'erp.csv') => ({ name, type: 'text/csv', data: `${lines.join('\r\n')}\r\n` });
const upload = (c: Client, kind: string, file: ReturnType<typeof csv>, lang = 'en') =>
  uploadFile(t.app, c, `/api/commerce/import/${kind}`, file, { lang });
const get = (c: Client, url: string, lang = 'en') => t.app.inject({ method: 'GET', url, headers: { cookie: c.cookie, 'accept-language': lang } });

/** Rows of a table in a workspace, counted in the database itself. */
async function count(table: string, workspaceId: string, extra = '') {
  const r = (await t.database.db.execute(
    sql.raw(`select count(*)::int as n from ${table} where workspace_id = '${workspaceId}' ${extra}`),
  )) as unknown as {
    rows: { n: number }[];
  };
  return r.rows[0].n;
}
const w1Counts = async () => Promise.all(['contracts', 'payment_plan_items', 'payments', 'time_entries'].map((x) => count(x, t.w1.id)));

const contractsFile = () =>
  csv([
    'ERP ID,Account name,Contract number,Contract title,Products,Amount (CNY),Cost (CNY),Signed on,Starts on,Ends on,Maintenance ends on,SLA tier,Customised services',
    `C-1,ERP客户甲,HT-IMP-001,甲 平台合同,平台; 报表,"1,200,000.00",720000,${day(-300)},${day(-290)},${day(400)},${day(760)},A,报表定制`,
    `C-2,ERP客户乙,HT-IMP-002,乙 运维合同,运维,300000,,${day(-100)},${day(-100)},${day(45)},,,`,
  ]);

beforeAll(async () => {
  t = await startTestApp();
  [manager, admin, sales, csm, delivery, admin2] = await Promise.all([
    t.as('manager'),
    t.as('admin'),
    t.as('sales'),
    t.as('csm'),
    t.as('delivery'),
    t.as('admin', t.w2),
  ]);
  const mk = async (c: Client, name: string) => {
    const a = expectStatus(await c.post('/api/accounts', { name, industry: '制造', region: '华东' }), 201);
    return a.id as string;
  };
  accA = await mk(sales, 'ERP客户甲');
  accB = await mk(sales, 'ERP客户乙');
  expectStatus(
    await manager.put(`/api/accounts/${accB}/team`, {
      salesId: t.w1.users.sales.id,
      csmId: t.w1.users.csm.id,
      deliveryId: t.w1.users.delivery.id,
      afterSalesId: t.w1.users.after_sales.id,
    }),
    200,
  );
  // the other workspace has an account and a contract of its own
  const w2acc = await mk(admin2, 'W2客户');
  today = expectStatus(await admin2.get(`/api/accounts/${w2acc}/contracts`), 200).today;
  expectStatus(
    await admin2.post(`/api/accounts/${w2acc}/contracts`, {
      number: 'HT-W2-001',
      title: '别家合同',
      amountMinor: 1000,
      signedOn: day(-10),
      startsOn: day(-10),
      endsOn: day(300),
    }),
    201,
  );
  const c = expectStatus(await sales.post(`/api/accounts/${accA}/contacts`, { name: '孙工', side: 'operations_it' }), 201);
  expectStatus(await sales.post(`/api/contacts/${c.id}/key-person-login`, { email: 'kp-erp@customer.test', password: PW }), 201);
  kp = await t.login('kp-erp@customer.test', PW, '/api/portal/auth/login');
});
afterAll(() => t?.close());

describe('ERP import: who may', () => {
  it('is for leads: 401 signed out, 403 for the frontline and key persons; nothing written', async () => {
    for (const kind of ['contracts', 'plan-items', 'payments', 'time-entries']) {
      expectStatus(await get(t.anon, `/api/commerce/import/${kind}/template?format=csv`), 401);
      expectStatus(await upload(t.anon, kind, contractsFile()), 401);
      for (const c of [sales, csm, delivery, kp]) {
        expectStatus(await get(c, `/api/commerce/import/${kind}/template?format=csv`), 403);
        expectStatus(await upload(c, kind, contractsFile()), 403);
      }
    }
    expect(await w1Counts()).toEqual([0, 0, 0, 0]);
  });
});

describe('ERP import: templates', () => {
  it('gives the header in the reader language (CSV) and explains each column (XLSX)', async () => {
    const zh = await get(manager, '/api/commerce/import/payments/template?format=csv', 'zh-CN');
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-disposition']).toContain('erp-payments-import-template-zh.csv');
    const [header] = parse(zh.rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(header).toEqual(['ERP编号', '合同编号', '到账日期', '到账金额(元)', '回款计划ERP编号', '流水号']);
    const en = await get(manager, '/api/commerce/import/time-entries/template?format=xlsx', 'en');
    expect(en.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Time entries', 'How to fill']);
    expect(wb.worksheets[0].getRow(1).values).toEqual([
      undefined,
      'ERP ID',
      'Contract number',
      'Project',
      'Engineer email',
      'Worked on',
      'Hours',
      'Note',
    ]);
    const help = wb.worksheets[1].getColumn(1).values.slice(2);
    expect(help).toContain('Hours');
  });
});

describe('ERP import: the four files', () => {
  it('imports contracts, plan items, payments and time; the accounts are regraded once; a re-import skips every row', async () => {
    const r1 = await upload(manager, 'contracts', contractsFile());
    expect([r1.statusCode, r1.json()]).toEqual([200, { kind: 'contracts', rows: 2, imported: 2, skipped: 0, accounts: 2 }]);
    const listA = expectStatus(await manager.get(`/api/accounts/${accA}/contracts`), 200);
    expect(listA.items).toMatchObject([
      {
        number: 'HT-IMP-001',
        amountMinor: 120_000_000,
        costMinor: 72_000_000,
        products: ['平台', '报表'],
        slaTier: 'A',
        services: [{ name: '报表定制', customisation: true }],
        maintenanceEndsOn: day(760),
        externalRef: 'C-1',
      },
    ]);
    // order amount and margin come from the imported contract
    expect(listA.figures).toMatchObject({ orderAmountMinor: 120_000_000, profitMarginPct: 40 });
    // a contract imported inside the renewal window raises its renewal opportunity at once
    const listB = expectStatus(await manager.get(`/api/accounts/${accB}/contracts`), 200);
    expect(listB.items[0].renewalOpportunityId).toEqual(expect.any(String));

    const plan = csv([
      '合同编号,ERP编号,款项名称,应收日期,应收金额(元),发票号',
      `HT-IMP-001,P-1,首付款,${day(-200)},600000,FP-001`,
      `HT-IMP-001,P-2,验收款,${day(-60)},600000,`,
      `HT-IMP-002,P-3,年费,${day(-30)},300000,`,
    ]);
    const r2 = await upload(manager, 'plan-items', plan, 'zh-CN');
    expect([r2.statusCode, r2.json()]).toEqual([200, { kind: 'plan-items', rows: 3, imported: 3, skipped: 0, accounts: 2 }]);
    // nothing paid yet: every due item is late
    expect(expectStatus(await manager.get(`/api/accounts/${accA}/contracts`), 200).figures.onTimePaymentPct).toBe(0);

    const pays = csv([
      'ERP ID,Contract number,Received on,Amount received (CNY),Plan item ERP ID,Reference',
      `R-1,HT-IMP-001,${day(-205)},600000,P-1,BANK-1`,
      `R-2,HT-IMP-001,${day(-20)},600000.00,P-2,BANK-2`,
    ]);
    const r3 = await upload(admin, 'payments', pays);
    expect([r3.statusCode, r3.json()]).toEqual([200, { kind: 'payments', rows: 2, imported: 2, skipped: 0, accounts: 1 }]);
    // one of two items paid by its due date
    const after = expectStatus(await manager.get(`/api/accounts/${accA}/contracts`), 200);
    expect(after.figures.onTimePaymentPct).toBe(50);
    const detail = expectStatus(await manager.get(`/api/contracts/${after.items[0].id}`), 200);
    expect(detail.planItems.map((i: Json) => [i.externalRef, i.state])).toEqual([
      ['P-1', 'paid'],
      ['P-2', 'paid_late'],
    ]);

    const project = expectStatus(await manager.post(`/api/contracts/${after.items[0].id}/projects`, { name: '一期实施' }), 201);
    const time = csv([
      'ERP ID,Contract number,Project,Engineer email,Worked on,Hours,Note',
      `T-1,HT-IMP-001,一期实施,${t.w1.users.delivery.email.toUpperCase()},${day(-3)},7.5,部署`,
      `T-2,HT-IMP-001,一期实施,${t.w1.users.delivery.email},${day(-2)},8,`,
    ]);
    const r4 = await upload(manager, 'time-entries', time);
    expect([r4.statusCode, r4.json()]).toEqual([200, { kind: 'time-entries', rows: 2, imported: 2, skipped: 0, accounts: 0 }]);
    const booked = expectStatus(await manager.get(`/api/time-entries?projectId=${project.id}&from=${day(-10)}&to=${day(0)}`), 200);
    expect(booked.items.map((e: Json) => [e.userId, Number(e.hours)]).sort()).toEqual([
      [t.w1.users.delivery.id, 7.5],
      [t.w1.users.delivery.id, 8],
    ]);

    // the same four files again: every row skipped, nothing doubled
    const before = await w1Counts();
    expect(before).toEqual([2, 3, 2, 2]);
    expect((await upload(manager, 'contracts', contractsFile())).json()).toMatchObject({ imported: 0, skipped: 2 });
    expect((await upload(manager, 'plan-items', plan)).json()).toMatchObject({ imported: 0, skipped: 3 });
    expect((await upload(manager, 'payments', pays)).json()).toMatchObject({ imported: 0, skipped: 2 });
    expect((await upload(manager, 'time-entries', time)).json()).toMatchObject({ imported: 0, skipped: 2 });
    expect(await w1Counts()).toEqual(before);
    // a file adding one new row to known ones writes just that one
    const more = csv([...pays.data.trim().split('\r\n'), `R-3,HT-IMP-002,${day(-1)},100,,`]);
    expect((await upload(manager, 'payments', more)).json()).toMatchObject({ rows: 3, imported: 1, skipped: 2, accounts: 1 });
    expect(await count('audit_log', t.w1.id, "and action like '%.import'")).toBe(9);
    expect(await count('audit_log', t.w1.id, "and action = 'payment.import'")).toBe(3);
  });

  it('refuses a file with bad rows whole, naming every bad row, field and reason in the reader language', async () => {
    const before = await w1Counts();
    const bad = csv([
      'ERP编号,合同编号,到账日期,到账金额(元),回款计划ERP编号,流水号',
      `X-1,HT-IMP-001,${day(-1)},100,,`,
      `X-2,HT-NOPE,${day(-1)},100,,`,
      `X-3,HT-IMP-001,${day(-1)},-5,,`,
      `X-4,HT-IMP-001,2025-02-30,100,,`,
      `X-5,HT-IMP-002,${day(-1)},100,P-1,`,
      `X-1,HT-IMP-001,${day(-1)},100,,`,
    ]);
    const res = await upload(manager, 'payments', bad, 'zh-CN');
    expect(res.statusCode).toBe(400);
    const fields = res.json().fields as { row: number; field: string; message: string }[];
    expect(fields.map((f) => [f.row, f.field])).toEqual([
      [3, 'contractNumber'],
      [4, 'amountMinor'],
      [5, 'receivedOn'],
      [6, 'planItemRef'],
      [7, 'externalRef'],
    ]);
    expect(fields[0].message).toBe('合同编号：没有编号为“HT-NOPE”的合同');
    expect(fields[2].message).toContain('不是日期');
    expect(fields[3].message).toBe('回款计划ERP编号：回款计划“P-1”不属于合同“HT-IMP-002”');
    expect(fields[4].message).toContain('第 2 行');
    expect(await w1Counts()).toEqual(before);

    const badContracts = csv([
      'ERP ID,Account name,Contract number,Contract title,Amount (CNY),Signed on,Starts on,Ends on',
      `C-9,ERP客户甲,HT-IMP-009,ok,1,${day(-1)},${day(-1)},${day(10)}`,
      `C-10,ERP客户甲,HT-IMP-001,taken,1,${day(-1)},${day(-1)},${day(10)}`,
      `C-11,ERP客户甲,HT-IMP-011,order,1,${day(-1)},${day(5)},${day(1)}`,
      `C-1,ERP客户甲,HT-IMP-099,moved,1,${day(-1)},${day(-1)},${day(10)}`,
    ]);
    const r2 = await upload(manager, 'contracts', badContracts);
    expect(r2.statusCode).toBe(400);
    expect(r2.json().fields.map((f: Json) => [f.row, f.field])).toEqual([
      [3, 'number'],
      [4, 'endsOn'],
      [5, 'externalRef'],
    ]);
    expect(r2.json().fields[1].message).toBe("Ends on: The contract's end cannot be before its start.");
    expect(await w1Counts()).toEqual(before);
  });

  it('does not see across workspaces: the other workspace account, contract and people are "not found", nothing written', async () => {
    const before = await w1Counts();
    const w2Before = await Promise.all(['contracts', 'payments', 'time_entries'].map((x) => count(x, t.w2.id)));
    const r1 = await upload(
      manager,
      'contracts',
      csv([
        'ERP ID,Account name,Contract number,Contract title,Amount (CNY),Signed on,Starts on,Ends on',
        `C-20,W2客户,HT-IMP-020,x,1,${day(-1)},${day(-1)},${day(10)}`,
      ]),
    );
    expect(r1.statusCode).toBe(400);
    expect(r1.json().fields).toEqual([{ row: 2, field: 'accountName', message: 'Account name: no account named "W2客户"' }]);
    const r2 = await upload(manager, 'payments', csv(['ERP ID,Contract number,Received on,Amount received (CNY)', `R-20,HT-W2-001,${day(-1)},1`]));
    expect(r2.json().fields).toEqual([{ row: 2, field: 'contractNumber', message: 'Contract number: no contract numbered "HT-W2-001"' }]);
    // and the other way round: workspace 2 does not see workspace 1's contracts nor its engineers
    const r3 = await upload(
      admin2,
      'time-entries',
      csv(['ERP ID,Contract number,Project,Engineer email,Worked on,Hours', `T-20,HT-IMP-001,一期实施,${t.w1.users.delivery.email},${day(-1)},1`]),
    );
    expect(r3.json().fields.map((f: Json) => f.field)).toEqual(['contractNumber', 'userEmail']);
    expect(await w1Counts()).toEqual(before);
    expect(await Promise.all(['contracts', 'payments', 'time_entries'].map((x) => count(x, t.w2.id)))).toEqual(w2Before);
  });

  it('takes files past the accounts import 5 MB (up to 32 MB): 6 MB imports, 33 MB is 413', async () => {
    const header = 'ERP ID,Contract number,Received on,Amount received (CNY)';
    const blank = ',,,\r\n'.repeat(Math.ceil((6 * 1024 * 1024) / 5)); // blank rows are skipped, but they are bytes
    const six = await upload(manager, 'payments', {
      name: 'big.csv',
      type: 'text/csv',
      data: `${header}\r\nR-BIG,HT-IMP-002,${day(-1)},1\r\n${blank}`,
    });
    expect([six.statusCode, six.json()]).toEqual([200, { kind: 'payments', rows: 1, imported: 1, skipped: 0, accounts: 1 }]);
    const before = await w1Counts();
    const huge = ',,,\r\n'.repeat(Math.ceil((33 * 1024 * 1024) / 5));
    const r = await upload(manager, 'payments', {
      name: 'huge.csv',
      type: 'text/csv',
      data: `${header}\r\nR-HUGE,HT-IMP-002,${day(-1)},1\r\n${huge}`,
    });
    expect(r.statusCode).toBe(413);
    expect(await w1Counts()).toEqual(before);
  });

  it('reads an XLSX with real date and number cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回款计划');
    ws.addRow(['ERP编号', '合同编号', '款项名称', '应收日期', '应收金额(元)']);
    ws.addRow(['P-X1', 'HT-IMP-002', '尾款', new Date(`${day(90)}T00:00:00Z`), 1234.5]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await uploadFile(t.app, manager, '/api/commerce/import/plan-items', {
      name: 'plan.xlsx',
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      data,
    });
    expect([res.statusCode, res.json()]).toEqual([200, { kind: 'plan-items', rows: 1, imported: 1, skipped: 0, accounts: 1 }]);
    const c = expectStatus(await manager.get(`/api/accounts/${accB}/contracts`), 200).items[0];
    const detail = expectStatus(await manager.get(`/api/contracts/${c.id}`), 200);
    expect(detail.planItems.find((i: Json) => i.externalRef === 'P-X1')).toMatchObject({ dueOn: day(90), amountMinor: 123_450 });
  });
});
