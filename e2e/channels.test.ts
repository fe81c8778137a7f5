import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImReceivers } from '../server/modules/channels/channels.test-support.js';
import { artifactsDir, runJourneys, signIn, useJourneyEnv } from './support.js';

describe.runIf(runJourneys)('IM robots journey in Chromium', () => {
  let rx: Awaited<ReturnType<typeof startImReceivers>>;
  // the operator lets this installation reach the local receivers (a workspace admin cannot)
  const env = useJourneyEnv({ KW_OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
  beforeAll(async () => {
    rx = await startImReceivers();
  });
  afterAll(async () => {
    await rx?.close();
  });

  it('the admin adds a DingTalk robot with its signing secret, confirms a test message, and the group receives it signed', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    try {
      await signIn(page, env.server.url, 'admin@demo.keyward.cn');
      await page.goto(`${env.server.url}/settings/channels`);
      await page.getByText('还没有 IM 机器人').waitFor();

      await page.getByTestId('robot-add').click();
      const drawer = page.locator('.ant-drawer');
      await drawer.locator('.ant-select').first().click();
      await page.locator('.ant-select-item-option').filter({ hasText: '钉钉' }).click();
      await drawer.getByLabel('名称').fill('华东服务群');
      await drawer.getByLabel('Webhook 地址').fill(rx.dingtalk.url);
      await drawer.getByLabel('加签密钥').fill(rx.dingtalk.secret);
      await page.getByTestId('robot-save').click();
      await page.locator('.ant-table-row').filter({ hasText: '华东服务群' }).waitFor();
      const row = page.locator('.ant-table-row').filter({ hasText: '华东服务群' });
      expect(await row.innerText()).toContain('钉钉');
      expect(await page.content()).not.toContain(rx.dingtalk.secret);

      // a test message is confirmed first: the dialog names the group that will see it
      await row.getByTestId('robot-test').click();
      await page.locator('.ant-popconfirm').getByText('华东服务群').waitFor();
      expect(rx.dingtalk.received).toHaveLength(0);
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await page.getByText('测试消息已送达').waitFor();
      expect(rx.dingtalk.messages()).toHaveLength(1);
      expect(rx.dingtalk.received.filter((m) => !m.verified)).toEqual([]);
      await expect.poll(async () => row.innerText(), { timeout: 10_000 }).not.toContain('从未');
      await page.screenshot({ path: path.join(artifactsDir, 'channels-settings.png'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: path.join(artifactsDir, 'channels-failure.png'), fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await page.close();
    }
  });
});
