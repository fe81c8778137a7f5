import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../platform/permissions.js';
import { makeWorkspace, startTestApp, type Client, type TestApp, type TestWorkspace } from '../../test/harness.js';
import { multipartBody, uploadFile, type UploadFile } from '../../test/fixtures.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FORMULA_NAME = '=HYPERLINK("http://evil.test","点我")';

let t: TestApp;
let w3: TestWorkspace;
let w1Baseline: Awaited<ReturnType<typeof snapshot>>;

type File = UploadFile;
const csvFile = (data: string, name = 'data.csv'): File => ({ name, type: 'text/csv', data });
const xlsxFile = (data: Buffer, name = 'data.xlsx'): File => ({ name, type: XLSX, data });

function get(c: Client, url: string, lang = 'en') {
  return t.app.inject({ method: 'GET', url, headers: { cookie: c.cookie, 'accept-language': lang } });
}

const upload = (c: Client, url: string, file: File, lang = 'en', field = 'file') => uploadFile(t.app, c, url, file, { lang, field });

const csvRows = (body: Buffer) => parse(body.toString('utf8'), { bom: true, relax_column_count: true }) as string[][];

async function xlsxSheet(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return { wb, ws: wb.worksheets[0] };
}
function sheetRows(ws: ExcelJS.Worksheet) {
  const out: ExcelJS.CellValue[][] = [];
  ws.eachRow((row) => out.push(Array.from({ length: ws.columnCount }, (_, i) => row.getCell(i + 1).value)));
  return out;
}

async function accountTotal(c: Client) {
  return (await c.get('/api/accounts?pageSize=1')).json().total as number;
}

/** What a workspace's accounts and contacts say, with the workspace prefix of people and partners removed. */
async function snapshot(c: Client, names?: string[]) {
  const items = (await c.get('/api/accounts?pageSize=200')).json().items as { id: string; name: string }[];
  const out = [];
  for (const { id, name } of items) {
    if (names && !names.includes(name)) continue;
    const a = (await c.get(`/api/accounts/${id}`)).json();
    out.push({
      name: a.name,
      industry: a.industry,
      region: a.region,
      tier: a.tier,
      stage: a.stage,
      ladder: a.ladder,
      toCStage: a.toCStage,
      revenueTargetMinor: a.revenueTargetMinor,
      orderAmountMinor: a.orderAmountMinor,
      fiscalYear: a.fiscalYear,
      onTimePaymentPct: a.onTimePaymentPct,
      prospect: a.prospect,
      profitMarginPct: a.profitMarginPct,
      products: a.products,
      tags: a.tags,
      owner: a.owner?.name.replace(/^w\d-/, '') ?? null,
      partner: a.channelPartner?.name.replace(/^w\d /, '') ?? null,
      contacts: (a.contacts as Record<string, unknown>[])
        .map((x) => ({
          name: x.name,
          title: x.title,
          department: x.department,
          email: x.email,
          phone: x.phone,
          side: x.side,
          orgGroups: x.orgGroups,
          isKeyPerson: x.isKeyPerson,
          notes: x.notes,
        }))
        .sort((p, q) => String(p.name).localeCompare(String(q.name))),
    });
  }
  return out;
}

beforeAll(async () => {
  t = await startTestApp();
  if (t.database.kind === 'postgres') {
    // Harness race (server/test/test-db.ts): pool.end() resolves before idle connections have closed and the
    // database is then dropped WITH (FORCE); their 57P01 would surface as an unhandled pool error after the tests.
    (t.db as unknown as { $client: { on(event: 'error', fn: () => void): void } }).$client.on('error', () => {});
  }
  w3 = await makeWorkspace(t.db, 'w3');
  const admin = await t.as('admin');
  const create = async (body: Record<string, unknown>) => {
    const r = await admin.post('/api/accounts', body);
    if (r.statusCode !== 201) throw new Error(r.body);
    return r.json().id as string;
  };
  const a1 = await create({
    name: '华南电网',
    industry: '能源',
    region: '华南',
    ownerId: t.w1.users.sales.id,
    revenueTargetMinor: 123456789,
    orderAmountMinor: 115,
    fiscalYear: 2026,
    onTimePaymentPct: 95,
    prospect: 5,
    profitMarginPct: -12,
    products: ['云平台', '运维服务'],
    tags: ['重点', '华南'],
    stage: 'startup',
    ladder: 'key_supplier',
  });
  await create({ name: FORMULA_NAME, industry: '+制造', region: '-西北', revenueTargetMinor: 435, onTimePaymentPct: 40, prospect: 1 });
  const a3 = await create({
    name: '渠道客户甲',
    industry: '制造',
    region: '华东',
    channelPartnerId: t.w1.partnerId,
    toCStage: 'interest',
    ownerId: t.w1.users.csm.id,
  });
  await create({ name: 'Acme, Inc. "Global"', industry: 'IT', region: 'EU', revenueTargetMinor: 1, tags: ['@risk'] });
  const contact = async (accountId: string, body: Record<string, unknown>) => {
    const r = await admin.post(`/api/accounts/${accountId}/contacts`, body);
    if (r.statusCode !== 201) throw new Error(r.body);
  };
  await contact(a1, {
    name: '张三',
    title: 'CIO',
    department: '信息部',
    email: 'zhang@grid.test',
    phone: '+86 138 0000 0000',
    side: 'executive',
    orgGroups: ['promotion_committee', 'rollout'],
    isKeyPerson: true,
    notes: '两行\n备注，含逗号',
  });
  await contact(a1, { name: '李四', side: 'operations_it' });
  await contact(a3, { name: 'Li Si', title: '=1+1', side: 'business_head' });
  w1Baseline = await snapshot(admin);
  expect(w1Baseline).toHaveLength(4);
});
afterAll(() => t?.close());

describe('export', () => {
  it('downloads accounts as UTF-8 CSV with a BOM, zh headers, yuan with 2 decimals, neutralised formulas and plain numbers', async () => {
    const res = await get(await t.as('manager'), '/api/accounts/export?format=csv', 'zh-CN');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="accounts-\d{8}\.csv"$/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = csvRows(res.rawPayload);
    expect(header.slice(0, 10)).toEqual([
      '客户名称',
      '行业',
      '区域',
      '分级',
      '阶段',
      '关系阶梯',
      'C端阶段',
      '渠道商',
      '负责人邮箱',
      '财年业绩指标(元)',
    ]);
    const row = (name: string) => Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === name || r[0] === `'${name}`)![i]]));
    expect(row('华南电网')).toMatchObject({
      阶段: '启动期',
      关系阶梯: '关键供应商',
      负责人邮箱: 'sales@w1.test',
      '财年业绩指标(元)': '1234567.89',
      '下单金额(元)': '1.15',
      '利润率(%)': '-12',
      产品: '云平台; 运维服务',
    });
    expect(row(FORMULA_NAME)).toMatchObject({ 客户名称: `'${FORMULA_NAME}`, 行业: "'+制造", 区域: "'-西北", '财年业绩指标(元)': '4.35' });
    expect(row('Acme, Inc. "Global"')).toMatchObject({ 标签: "'@risk", '财年业绩指标(元)': '0.01' });
    expect(row('渠道客户甲')).toMatchObject({ 分级: 'E', 渠道商: 'w1 渠道商', C端阶段: '兴趣' });
  });

  it('downloads XLSX with typed cells: numbers stay numbers, formula-like text is neutralised', async () => {
    const res = await get(await t.as('sales'), '/api/accounts/export?format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="accounts-\d{8}\.xlsx"$/);
    const { ws } = await xlsxSheet(res.rawPayload);
    const [header, ...rows] = sheetRows(ws);
    expect(header[0]).toBe('Account name');
    const col = (h: string) => header.indexOf(h);
    const grid = rows.find((r) => r[0] === '华南电网')!;
    expect(grid[col('Profit margin (%)')]).toBe(-12);
    expect(grid[col('Revenue target (CNY)')]).toBe(1234567.89);
    expect(grid[col('Stage')]).toBe('startup');
    const evil = rows.find((r) => String(r[0]).includes('HYPERLINK'))!;
    expect(evil[0]).toBe(`'${FORMULA_NAME}`);
    expect(evil[col('Industry')]).toBe("'+制造");
    expect(evil[col('Region')]).toBe("'-西北");
    expect(typeof ws.getCell(2, col('Revenue target (CNY)') + 1).value).toBe('number');
  });

  it('exports contacts with their account, in the user language', async () => {
    const res = await get(await t.as('csm'), '/api/contacts/export?format=csv', 'zh-CN');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="contacts-\d{8}\.csv"/);
    const [header, ...rows] = csvRows(res.rawPayload);
    expect(header).toEqual(['客户名称', '联系人姓名', '职务', '部门', '邮箱', '电话', '所属方', '项目组织', '关键人', '备注']);
    expect(rows).toContainEqual([
      '华南电网',
      '张三',
      'CIO',
      '信息部',
      'zhang@grid.test',
      "'+86 138 0000 0000",
      '高管',
      '业务推进委员会; 业务落地组',
      '是',
      '两行\n备注，含逗号',
    ]);
    expect(rows).toContainEqual(['渠道客户甲', 'Li Si', "'=1+1", '', '', '', '业务负责人', '', '否', '']);
  });

  it('applies the list filters (tier, stage)', async () => {
    const admin = await t.as('admin');
    const byTier = csvRows((await get(admin, '/api/accounts/export?tier=E')).rawPayload);
    expect(byTier.slice(1).map((r) => r[0])).toEqual(['渠道客户甲']);
    const byStage = csvRows((await get(admin, '/api/accounts/export?stage=startup&format=csv')).rawPayload);
    expect(byStage.slice(1).map((r) => r[0])).toEqual(['华南电网']);
    const contacts = csvRows((await get(admin, '/api/contacts/export?tier=E')).rawPayload);
    expect(contacts.slice(1).map((r) => r[1])).toEqual(['Li Si']);
    expect((await get(admin, '/api/accounts/export?format=xls')).statusCode).toBe(400);
  });

  it('needs a session (401) and the export permission (403 for an expert)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/accounts/export' })).statusCode).toBe(401);
    expect((await get(await t.as('expert'), '/api/accounts/export')).statusCode).toBe(403);
    expect((await get(await t.as('expert'), '/api/contacts/export')).statusCode).toBe(403);
    expect((await get(await t.as('admin', t.w2), '/api/accounts/export')).rawPayload.toString()).not.toContain('华南电网');
  });

  it.runIf(can('channel_implementer', 'accounts.export'))("gives a channel implementer only its partner's accounts", async () => {
    const ci = await t.as('channel_implementer');
    const rows = csvRows((await get(ci, '/api/accounts/export')).rawPayload);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['渠道客户甲']);
    const contacts = csvRows((await get(ci, '/api/contacts/export')).rawPayload);
    expect(contacts.slice(1).map((r) => r[1])).toEqual(['Li Si']);
  });

  it.skipIf(can('channel_implementer', 'accounts.export'))(
    'refuses a channel implementer while the permission matrix does not grant accounts.export',
    async () => {
      expect((await get(await t.as('channel_implementer'), '/api/accounts/export')).statusCode).toBe(403);
    },
  );
});

describe('round trips', () => {
  it('CSV export → import into another workspace gives the same accounts and contacts', async () => {
    const exported = (await get(await t.as('admin'), '/api/accounts/export?format=csv')).rawPayload.toString('utf8');
    // people and partners are matched by email and name in the target workspace
    const mapped = exported.replaceAll('@w1.test', '@w2.test').replaceAll('w1 渠道商', 'w2 渠道商');
    const admin2 = await t.as('admin', t.w2);
    const res = await upload(admin2, '/api/accounts/import', csvFile(mapped));
    expect(res.json()).toEqual({ imported: 4 });
    const contacts = (await get(await t.as('admin'), '/api/contacts/export', 'zh-CN')).rawPayload;
    expect((await upload(admin2, '/api/contacts/import', csvFile(contacts.toString('utf8')))).json()).toEqual({ imported: 3 });
    expect(await snapshot(admin2)).toEqual(w1Baseline);
    const audit = (await admin2.get('/api/audit?entityType=account')).json().items as { action: string; after: { imported: number } }[];
    expect(audit.find((a) => a.action === 'account.import')?.after).toMatchObject({ imported: 4 });
  });

  it('XLSX export → import into another workspace gives the same accounts and contacts', async () => {
    const admin = await t.as('admin');
    const { wb, ws } = await xlsxSheet((await get(admin, '/api/accounts/export?format=xlsx', 'zh-CN')).rawPayload);
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') cell.value = cell.value.replace('@w1.test', '@w3.test').replace('w1 渠道商', 'w3 渠道商');
      }),
    );
    const admin3 = await t.login(w3.users.admin.email);
    const res = await upload(admin3, '/api/accounts/import', xlsxFile(Buffer.from(await wb.xlsx.writeBuffer())), 'zh-CN');
    expect(res.json()).toEqual({ imported: 4 });
    const contacts = (await get(admin, '/api/contacts/export?format=xlsx')).rawPayload;
    expect((await upload(admin3, '/api/contacts/import', xlsxFile(contacts))).json()).toEqual({ imported: 3 });
    expect(await snapshot(admin3)).toEqual(w1Baseline);
  });
});

describe('import', () => {
  it('reads zh headers (full-width units, labels, thousands separators) and en headers', async () => {
    const admin = await t.as('admin');
    const zh = '客户名称,行业,区域,阶段,负责人邮箱,财年业绩指标（元）,标签\r\n新客户一,零售,华北,适应期,MANAGER@w1.test,"1,234.5",新客；零售\r\n';
    expect((await upload(admin, '/api/accounts/import', csvFile(zh), 'zh-CN')).json()).toEqual({ imported: 1 });
    const en = 'Account name;Industry;Region;Stage;Relationship ladder;Prospect (1-5)\nNew account two;Retail;North;Renewal;Key supplier;4\n';
    expect((await upload(admin, '/api/accounts/import', csvFile(en))).json()).toEqual({ imported: 1 });
    const [one] = await snapshot(admin, ['新客户一']);
    const [two] = await snapshot(admin, ['New account two']);
    expect(one).toMatchObject({ stage: 'adaptation', owner: 'manager', revenueTargetMinor: 123450, tags: ['新客', '零售'] });
    expect(two).toMatchObject({ stage: 'renewal', ladder: 'key_supplier', prospect: 4, revenueTargetMinor: 0 });
  });

  it('reads an XLSX built by hand: number cells, a link cell, a formula cell, zh labels', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导入');
    ws.addRow(['客户名称', '行业', '区域', '财年业绩指标(元)', '下单金额(元)', '发展前景(1-5)', '负责人邮箱', '阶段', '利润率(%)']);
    ws.addRow([
      '表格客户',
      '金融',
      '西南',
      1234.5,
      { formula: '100*2.5', result: 250 },
      4,
      { text: 'sales@w1.test', hyperlink: 'mailto:sales@w1.test' },
      '续约期',
      -3,
    ]);
    const admin = await t.as('admin');
    expect((await upload(admin, '/api/accounts/import', xlsxFile(Buffer.from(await wb.xlsx.writeBuffer())))).json()).toEqual({ imported: 1 });
    const [a] = await snapshot(admin, ['表格客户']);
    expect(a).toMatchObject({
      revenueTargetMinor: 123450,
      orderAmountMinor: 25000,
      prospect: 4,
      owner: 'sales',
      stage: 'renewal',
      profitMarginPct: -3,
    });
  });

  it('imports nothing when one row is bad, and names every bad row and field', async () => {
    const admin = await t.as('admin');
    const before = await accountTotal(admin);
    const file = [
      'Account name,Industry,Region,Revenue target (CNY),Owner email,Stage',
      'Good one,Retail,North,10.00,,',
      'Bad money,Retail,North,12.345,,',
      'Bad owner,Retail,North,1,nobody@w1.test,',
      ',Retail,North,1,,startup',
      'Good one,Retail,North,1,,',
      '华南电网,Energy,South,1,,',
      'Bad stage,Retail,North,1,expert@w2.test,sprouting',
      'Another good,Retail,North,99,sales@w1.test,handover',
    ].join('\n');
    const res = await upload(admin, '/api/accounts/import', csvFile(file));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('invalid');
    expect(body.message).toBe('6 rows have errors; nothing was imported.');
    expect(body.fields.map((f: { row: number; field: string }) => [f.row, f.field])).toEqual([
      [3, 'revenueTargetMinor'],
      [4, 'ownerEmail'],
      [5, 'name'],
      [6, 'name'],
      [7, 'name'],
      [8, 'stage'],
      [8, 'ownerEmail'],
    ]);
    expect(body.fields[0].message).toBe('Revenue target (CNY): at most two decimals (fen)');
    expect(body.fields[3].message).toBe('Account name: repeats row 2');
    expect(body.fields[4].message).toBe('Account name: "华南电网" already exists');
    expect(body.fields[5].message).toContain('"sprouting" is not one of handover, startup');
    expect(await accountTotal(admin)).toBe(before);

    const zh = await upload(admin, '/api/accounts/import', csvFile(file), 'zh-CN');
    expect(zh.json().message).toBe('有 6 行数据有误，未导入任何数据。');
    expect(zh.json().fields[0]).toEqual({ row: 3, field: 'revenueTargetMinor', message: '财年业绩指标(元)：金额最多两位小数（精确到分）' });
    expect(zh.json().fields[2].message).toBe('客户名称：不能为空');
    expect(await accountTotal(admin)).toBe(before);
  });

  it('checks rows with the API schema (lengths, ranges) in the user language', async () => {
    const admin = await t.as('admin');
    const file = `客户名称,行业,区域,按时付款率(%),发展前景(1-5)\n${'长'.repeat(101)},零售,华北,101,0\n`;
    const res = await upload(admin, '/api/accounts/import', csvFile(file), 'zh-CN');
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.map((f: { field: string }) => f.field)).toEqual(['name', 'onTimePaymentPct', 'prospect']);
    expect(res.json().fields[1].message).toMatch(/^按时付款率\(%\)：/);
  });

  it('checks contacts: the account must exist, names are unique per account', async () => {
    const admin = await t.as('admin');
    const file =
      'Account name,Contact name,Side,Key person,Email\n华南电网,王五,executive,yes,wang@grid.test\n不存在的客户,赵六,,,\n华南电网,张三,,,\n华南电网,王五,,,\n华南电网,钱七,boss,maybe,not-an-email\n';
    const res = await upload(admin, '/api/contacts/import', csvFile(file));
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.map((f: { row: number; field: string }) => [f.row, f.field])).toEqual([
      [3, 'accountName'],
      [4, 'name'],
      [5, 'name'],
      [6, 'email'],
      [6, 'side'],
      [6, 'isKeyPerson'],
    ]);
    const ok = await upload(admin, '/api/contacts/import', csvFile('客户名称,联系人姓名,所属方,项目组织\n华南电网,王五,高管,业务落地组\n'), 'zh-CN');
    expect(ok.json()).toEqual({ imported: 1 });
  });

  it('refuses empty, unreadable, unknown-column and oversized files as a whole', async () => {
    const admin = await t.as('admin');
    const send = (f: File) => upload(admin, '/api/accounts/import', f);
    const empty = await send(csvFile('客户名称,行业,区域\n'));
    expect([empty.statusCode, empty.json().message]).toEqual([400, 'The file has no data rows.']);
    expect((await send(csvFile(''))).json().message).toBe('The file has no data rows.');
    const garbage = await send(xlsxFile(Buffer.from('this is not a zip at all')));
    expect([garbage.statusCode, garbage.json().message]).toEqual([400, 'The file could not be read: not a valid XLSX file']);
    const txt = await send({ name: 'notes.txt', type: 'text/plain', data: 'a,b' });
    expect(txt.json().message).toBe('The file could not be read: only .csv and .xlsx files are supported');
    const quote = await send(csvFile('客户名称,行业,区域\n"甲,乙,丙\n'));
    expect(quote.json().message).toMatch(/^The file could not be read: malformed CSV/);
    const unknown = await send(csvFile('客户名称,行业,区域,身高\n甲,乙,丙,180\n'));
    expect([unknown.statusCode, unknown.json().message]).toEqual([400, 'Unknown columns: 身高. Use the column names of an export.']);
    const missing = await send(csvFile('客户名称,行业\n甲,乙\n'));
    expect(missing.json().message).toMatch(/^Missing required columns: 区域 \/ Region/);
    const many = await send(csvFile(`Account name,Industry,Region\n${Array.from({ length: 5001 }, (_, i) => `A${i},I,R`).join('\n')}\n`));
    expect([many.statusCode, many.json().message]).toEqual([400, 'At most 5000 rows per import.']);
    const wrongField = await upload(admin, '/api/accounts/import', csvFile('Account name,Industry,Region\nx,y,z\n'), 'en', 'upload');
    expect([wrongField.statusCode, wrongField.json().fields[0].field]).toEqual([400, 'file']);
    const json = await admin.post('/api/accounts/import', { file: 'x' });
    expect(json.statusCode).toBe(400);
    const big = await send(csvFile('x'.repeat(5 * 1024 * 1024 + 10)));
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toContain('5 MB');
  });

  it('reads a GBK-encoded CSV (what Excel on Chinese Windows saves)', async () => {
    const admin = await t.as('admin');
    // "客户名称,行业,区域\n国标客户,制造,华中\n" in GBK
    const gbk = Buffer.from('bfcdbba7c3fbb3c62cd0d0d2b52cc7f8d3f20ab9fab1eabfcdbba72cd6c6d4ec2cbbaad6d00a', 'hex');
    expect((await upload(admin, '/api/accounts/import', csvFile(gbk as unknown as string))).json()).toEqual({ imported: 1 });
    expect(await snapshot(admin, ['国标客户'])).toMatchObject([{ industry: '制造', region: '华中' }]);
  });

  it('needs a session (401) and the import permission (403 for sales and csm)', async () => {
    const m = multipartBody(csvFile('Account name,Industry,Region\nx,y,z\n'));
    const anon = await t.app.inject({ method: 'POST', url: '/api/accounts/import', headers: { 'content-type': m.contentType }, payload: m.payload });
    expect(anon.statusCode).toBe(401);
    const before = await accountTotal(await t.as('admin'));
    expect((await upload(await t.as('sales'), '/api/accounts/import', csvFile('Account name,Industry,Region\nx,y,z\n'))).statusCode).toBe(403);
    expect((await upload(await t.as('csm'), '/api/contacts/import', csvFile('Account name,Contact name\n华南电网,x\n'))).statusCode).toBe(403);
    expect(await accountTotal(await t.as('admin'))).toBe(before);
    expect((await upload(await t.as('manager'), '/api/accounts/import', csvFile('Account name,Industry,Region\nBy manager,y,z\n'))).json()).toEqual({
      imported: 1,
    });
  });

  it('imports the maximum of 5,000 rows at once, each with its stage and ladder history and audit entry', async () => {
    const ws = await makeWorkspace(t.db, 'w5k');
    const admin = await t.login(ws.users.admin.email);
    const rows = Array.from({ length: 5000 }, (_, i) => `批量客户${String(i).padStart(4, '0')},制造,华东,${i % 7 === 0 ? 'renewal' : 'handover'}`);
    const started = performance.now();
    const res = await upload(admin, '/api/accounts/import', csvFile(`Account name,Industry,Region,Stage\n${rows.join('\n')}\n`));
    console.info(`5,000-row import on ${process.env.KW_TEST_DB}: ${Math.round(performance.now() - started)} ms`);
    expect([res.statusCode, res.json()]).toEqual([200, { imported: 5000 }]);
    const count = async (table: string, extra = '') =>
      (
        (await t.database.db.execute(sql.raw(`select count(*)::int as n from ${table} where workspace_id = '${ws.id}' ${extra}`))) as unknown as {
          rows: { n: number }[];
        }
      ).rows[0].n;
    expect(await count('accounts')).toBe(5000);
    expect(await count('accounts', "and stage = 'renewal'")).toBe(715);
    expect(await count('stage_transitions', 'and from_stage is null')).toBe(5000);
    expect(await count('ladder_history')).toBe(5000);
    expect(await count('audit_log', "and action = 'account.create'")).toBe(5000);
    expect(await count('audit_log', "and action = 'account.import'")).toBe(1);
    // every history row points at its own account
    expect(await count('stage_transitions s', 'and not exists (select 1 from accounts a where a.id = s.account_id and a.stage = s.to_stage)')).toBe(
      0,
    );
  });
});

describe("import templates and the list's column names", () => {
  it('downloads an empty template in the request language, CSV and XLSX, for accounts and contacts; only who may import', async () => {
    const admin = await t.as('admin');
    const zhCsv = await get(admin, '/api/accounts/import/template?format=csv', 'zh-CN');
    expect(zhCsv.statusCode).toBe(200);
    expect(zhCsv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(zhCsv.headers['content-disposition']).toBe('attachment; filename="accounts-import-template-zh.csv"');
    expect(zhCsv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // BOM: Excel reads the Chinese
    const [zhHeader, ...zhRows] = csvRows(zhCsv.rawPayload);
    expect(zhRows).toEqual([]);
    expect(zhHeader.slice(0, 4)).toEqual(['客户名称', '行业', '区域', '阶段']);
    expect(zhHeader).not.toContain('分级'); // the tier is the model's, never imported
    const enXlsx = await get(admin, '/api/contacts/import/template?format=xlsx', 'en');
    expect([enXlsx.statusCode, enXlsx.headers['content-type']]).toEqual([200, XLSX]);
    expect(enXlsx.headers['content-disposition']).toBe('attachment; filename="contacts-import-template.xlsx"');
    const { wb, ws } = await xlsxSheet(enXlsx.rawPayload);
    expect(sheetRows(ws)).toEqual([
      ['Account name', 'Contact name', 'Title', 'Department', 'Email', 'Phone', 'Side', 'Org groups', 'Key person', 'Notes'],
    ]);
    const help = sheetRows(wb.worksheets[1]);
    expect(wb.worksheets[1].name).toBe('How to fill');
    expect(help.find((r) => r[0] === 'Side')?.[3]).toBe('business head, operations/IT, executive, other');
    expect(help.find((r) => r[0] === 'Contact name')?.[1]).toBe('yes');
    // a filled-in template imports as it is
    const filled = await get(admin, '/api/accounts/import/template?format=csv', 'en');
    const [enHeader] = csvRows(filled.rawPayload);
    const row = enHeader.map((h) => ({ 'Account name': '模板客户', Industry: '制造', Region: '华东', Stage: 'Startup' })[h] ?? '');
    expect((await upload(admin, '/api/accounts/import', csvFile(`${enHeader.join(',')}\n${row.join(',')}\n`))).json()).toEqual({ imported: 1 });
    for (const role of ['csm', 'expert'] as const) {
      const res = await get(await t.as(role), '/api/accounts/import/template?format=csv');
      expect(res.statusCode).toBe(can(role, 'accounts.import') ? 200 : 403);
    }
  });

  it('accepts the column names the account list and the account page show (zh and en), the owner by name', async () => {
    const admin = await t.as('admin');
    const zh = [
      '客户,行业,区域,阶段,关系阶梯,负责人,年度业绩指标,近 1–2 年下单金额（元）,发展前景（1–5）,已购产品',
      '列表列名客户,零售,华北,适应期,供应商,w1-manager,"1,000",250.5,3,云平台；运维服务',
    ].join('\r\n');
    expect((await upload(admin, '/api/accounts/import', csvFile(zh), 'zh-CN')).json()).toEqual({ imported: 1 });
    const [a] = await snapshot(admin, ['列表列名客户']);
    expect(a).toMatchObject({
      stage: 'adaptation',
      ladder: 'supplier',
      owner: 'manager',
      revenueTargetMinor: 100000,
      orderAmountMinor: 25050,
      prospect: 3,
      products: ['云平台', '运维服务'],
    });
    const en = [
      'Account,Industry,Region,Ladder,Owner,Revenue target,Products bought',
      'List-named account,IT,EU,Key supplier,w1-sales,12.5,CRM',
    ].join('\n');
    expect((await upload(admin, '/api/accounts/import', csvFile(en))).json()).toEqual({ imported: 1 });
    expect((await snapshot(admin, ['List-named account']))[0]).toMatchObject({ ladder: 'key_supplier', owner: 'sales', revenueTargetMinor: 1250 });
    // contacts with the account page's names: 姓名 / 角色类型 / 客户方项目组织 / 客户关键人
    const contacts = ['客户,姓名,职务,角色类型,客户方项目组织,客户关键人', '列表列名客户,王五,采购经理,高管,业务落地组,是'].join('\n');
    expect((await upload(admin, '/api/contacts/import', csvFile(contacts), 'zh-CN')).json()).toEqual({ imported: 1 });
    expect((await snapshot(admin, ['列表列名客户']))[0].contacts).toEqual([
      expect.objectContaining({ name: '王五', title: '采购经理', side: 'executive', orgGroups: ['rollout'], isKeyPerson: true }),
    ]);
    // an owner named by someone who is no user is still refused, the message says email or name
    const bad = await upload(admin, '/api/accounts/import', csvFile('Account,Industry,Region,Owner\nNobody owns,IT,EU,Somebody Else\n'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].message).toBe(
      'Owner email: no active user with the email or name Somebody Else in this workspace (write the email when two share a name)',
    );
  });
});
